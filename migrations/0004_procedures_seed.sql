-- The procedure catalogue: commonly used administrative procedures of communes and provinces,
-- as in force after the 1 July 2025 two-tier local government reorganisation (communes took
-- over the former districts' civil status, certification, land, construction and social
-- protection tasks). Codes of the form N.NNNNNN are national procedure codes; the others are
-- stable local codes. Fees are in VND for an in-person application (see fee_note for online
-- rates and exemptions); processing_days are working days. form_fields follow
-- api/catalogue/forms.py FieldDefinition and never ask for the applicant's own identity,
-- which is taken from the citizen profile.

-- Đăng ký khai sinh
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    '1.001193',
    'Đăng ký khai sinh',
    'Birth registration',
    'Hộ tịch',
    'Civil status',
    'Đăng ký việc sinh và cấp Giấy khai sinh cho trẻ em. Cha, mẹ có trách nhiệm đăng ký khai sinh cho con trong thời hạn 60 ngày kể từ ngày sinh; có thể đề nghị liên thông đăng ký thường trú và cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi. Kết quả trả ngay trong ngày (hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo).',
    'Registers a child''s birth and issues the birth certificate. Parents must register within 60 days of the birth and may also ask for the child''s permanent residence registration and health insurance card (under 6) in the same application. Decided the same day (the next working day if received after 15:00).',
    'Bản chính Giấy chứng sinh (nếu không có: văn bản của người làm chứng xác nhận việc sinh hoặc giấy cam đoan về việc sinh); thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; Giấy chứng nhận kết hôn của cha mẹ nếu thông tin kết hôn chưa có trong Cơ sở dữ liệu hộ tịch điện tử; văn bản ủy quyền nếu đi đăng ký thay (không cần chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột của người ủy quyền).',
    'The original birth certificate issued by the health facility (or, failing that, a witness statement or a sworn declaration of the birth); the applicant''s valid identity card (Căn cước / CCCD) or passport; the parents'' marriage certificate if the marriage is not yet in the electronic civil status database; a power of attorney when registering on the parents'' behalf (no certification needed if the representative is the parent''s own grandparent, parent, child, spouse or sibling).',
    'commune',
    'Ủy ban nhân dân cấp xã nơi cư trú của cha hoặc mẹ',
    'People''s Committee of the commune where the father or mother resides',
    'full_online',
    0,
    'Miễn lệ phí khi đăng ký đúng hạn (trong 60 ngày kể từ ngày sinh) và cho người thuộc hộ nghèo, gia đình có công với cách mạng, người khuyết tật. Đăng ký quá hạn: lệ phí theo mức do Hội đồng nhân dân cấp tỉnh quy định. Bản sao trích lục khai sinh: 8.000 đồng/bản.',
    'Free when registered on time (within 60 days of birth), and for poor households, families of people with meritorious service and people with disabilities. Late registration: fee set by the provincial People''s Council. Certified extract copies: 8,000 VND each.',
    1,
    '[
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ quy định thực hiện liên thông điện tử 02 nhóm thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi; đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương",
      "Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch"
    ]'::jsonb,
    '[
      {"code": "GIAY_CHUNG_SINH", "name_vi": "Giấy chứng sinh (hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh)", "name_en": "Birth certificate from the health facility (or witness statement / sworn declaration of the birth)", "required": true, "photo_accepted": true},
      {"code": "GCN_KET_HON_CHA_ME", "name_vi": "Giấy chứng nhận kết hôn của cha, mẹ (nếu chưa có trong cơ sở dữ liệu)", "name_en": "Parents'' marriage certificate (if not in the database)", "required": false, "photo_accepted": true},
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (nếu đăng ký thay cha, mẹ)", "name_en": "Power of attorney (when registering on the parents'' behalf)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "child_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên của trẻ", "label_en": "Child''s full name", "required": true, "max_length": 100},
      {"name": "child_date_of_birth", "type": "date", "label_vi": "Ngày sinh của trẻ", "label_en": "Child''s date of birth", "required": true, "not_in_future": true},
      {"name": "child_sex", "type": "select", "label_vi": "Giới tính của trẻ", "label_en": "Child''s sex", "required": true, "options": [{"value": "male", "label_vi": "Nam", "label_en": "Male"}, {"value": "female", "label_vi": "Nữ", "label_en": "Female"}]},
      {"name": "child_ethnicity", "type": "text", "label_vi": "Dân tộc của trẻ", "label_en": "Child''s ethnicity", "required": true, "max_length": 50, "help_vi": "Ví dụ: Kinh, Tày, Mường…", "help_en": "For example Kinh, Tày, Mường…"},
      {"name": "birth_place", "type": "admin_unit", "label_vi": "Nơi sinh (tỉnh, xã)", "label_en": "Place of birth (province, commune)", "required": true},
      {"name": "birth_facility", "type": "text", "label_vi": "Nơi sinh cụ thể", "label_en": "Exact place of birth", "max_length": 200, "help_vi": "Tên cơ sở y tế hoặc địa chỉ nơi trẻ được sinh ra.", "help_en": "Name of the hospital or clinic, or the address where the child was born."},
      {"name": "hometown", "type": "text", "label_vi": "Quê quán của trẻ", "label_en": "Child''s home town", "max_length": 200, "help_vi": "Theo quê quán của cha hoặc mẹ, theo thỏa thuận của cha mẹ.", "help_en": "The father''s or the mother''s home town, as the parents agree."},
      {"name": "mother_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên của mẹ", "label_en": "Mother''s full name", "required": true, "max_length": 100},
      {"name": "mother_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của mẹ", "label_en": "Mother''s personal ID number"},
      {"name": "father_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên của cha", "label_en": "Father''s full name", "max_length": 100, "help_vi": "Để trống nếu chưa xác định được cha.", "help_en": "Leave empty if the father is not established."},
      {"name": "father_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của cha", "label_en": "Father''s personal ID number"},
      {"name": "relationship_to_child", "type": "select", "label_vi": "Quan hệ của người đi đăng ký với trẻ", "label_en": "Your relationship to the child", "required": true, "options": [{"value": "father", "label_vi": "Cha", "label_en": "Father"}, {"value": "mother", "label_vi": "Mẹ", "label_en": "Mother"}, {"value": "grandparent", "label_vi": "Ông, bà", "label_en": "Grandparent"}, {"value": "sibling", "label_vi": "Anh, chị ruột", "label_en": "Elder sibling"}, {"value": "other_relative", "label_vi": "Người thân thích khác", "label_en": "Other relative"}, {"value": "authorised", "label_vi": "Người được ủy quyền", "label_en": "Authorised representative"}]},
      {"name": "register_permanent_residence", "type": "boolean", "label_vi": "Đề nghị đăng ký thường trú cho trẻ (liên thông)", "label_en": "Also register the child''s permanent residence"},
      {"name": "request_health_insurance_card", "type": "boolean", "label_vi": "Đề nghị cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi (liên thông)", "label_en": "Also issue a health insurance card (children under 6)"},
      {"name": "extract_copies", "type": "number", "label_vi": "Số bản sao trích lục đề nghị cấp thêm", "label_en": "Number of extra certified extract copies", "integer": true, "min": 0, "max": 10, "help_vi": "Mỗi bản sao trích lục hộ tịch: 8.000 đồng.", "help_en": "Each certified extract copy costs 8,000 VND."}
    ]'::jsonb,
    'giấy khai sinh, làm khai sinh, làm giấy khai sinh cho con, khai sinh cho bé, đăng ký khai sinh cho con, khai sinh liên thông, birth certificate'
);

-- Đăng ký khai tử
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    '1.000656',
    'Đăng ký khai tử',
    'Death registration',
    'Hộ tịch',
    'Civil status',
    'Đăng ký việc một người đã chết và cấp Trích lục khai tử. Vợ, chồng, con, cha, mẹ hoặc người thân thích khác của người chết có trách nhiệm đăng ký trong thời hạn 15 ngày kể từ ngày chết; có thể liên thông xóa đăng ký thường trú và giải quyết mai táng phí, tử tuất. Kết quả trả ngay trong ngày; nếu cần xác minh thì không quá 03 ngày làm việc.',
    'Registers a death and issues the death extract. The spouse, children, parents or other relatives must register within 15 days of the death, and may combine it with removing the permanent residence record and claiming funeral and survivor allowances. Decided the same day, or within 3 working days if checks are needed.',
    'Bản chính Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử (do cơ sở y tế, cơ quan công an, tòa án… cấp); thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; văn bản ủy quyền nếu đi đăng ký thay.',
    'The original death notice or the document replacing it (issued by the hospital, police, court…); the applicant''s valid identity card (Căn cước / CCCD) or passport; a power of attorney when registering on someone''s behalf.',
    'commune',
    'Ủy ban nhân dân cấp xã nơi cư trú cuối cùng của người chết',
    'People''s Committee of the commune where the deceased last resided',
    'full_online',
    0,
    'Miễn lệ phí khi đăng ký đúng hạn (trong 15 ngày kể từ ngày chết). Đăng ký quá hạn: lệ phí theo mức do Hội đồng nhân dân cấp tỉnh quy định. Bản sao trích lục khai tử: 8.000 đồng/bản.',
    'Free when registered on time (within 15 days of the death). Late registration: fee set by the provincial People''s Council. Certified extract copies: 8,000 VND each.',
    1,
    '[
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ quy định thực hiện liên thông điện tử 02 nhóm thủ tục hành chính: đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi; đăng ký khai tử, xóa đăng ký thường trú, giải quyết mai táng phí, tử tuất",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương",
      "Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch"
    ]'::jsonb,
    '[
      {"code": "GIAY_BAO_TU", "name_vi": "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", "name_en": "Death notice or a document replacing it", "required": true, "photo_accepted": true},
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (nếu đăng ký thay)", "name_en": "Power of attorney (when registering on someone''s behalf)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "deceased_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người chết", "label_en": "Full name of the deceased", "required": true, "max_length": 100},
      {"name": "deceased_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người chết", "label_en": "Personal ID number of the deceased"},
      {"name": "deceased_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người chết", "label_en": "Date of birth of the deceased", "not_in_future": true},
      {"name": "deceased_sex", "type": "select", "label_vi": "Giới tính của người chết", "label_en": "Sex of the deceased", "options": [{"value": "male", "label_vi": "Nam", "label_en": "Male"}, {"value": "female", "label_vi": "Nữ", "label_en": "Female"}]},
      {"name": "date_of_death", "type": "date", "label_vi": "Ngày chết", "label_en": "Date of death", "required": true, "not_in_future": true},
      {"name": "place_of_death", "type": "admin_unit", "label_vi": "Nơi chết (tỉnh, xã)", "label_en": "Place of death (province, commune)", "required": true},
      {"name": "place_of_death_detail", "type": "text", "label_vi": "Nơi chết cụ thể", "label_en": "Exact place of death", "max_length": 200, "help_vi": "Tên cơ sở y tế hoặc địa chỉ.", "help_en": "Hospital name or address."},
      {"name": "cause_of_death", "type": "text", "label_vi": "Nguyên nhân chết", "label_en": "Cause of death", "max_length": 200},
      {"name": "death_notice_number", "type": "text", "label_vi": "Số Giấy báo tử", "label_en": "Death notice number", "max_length": 50},
      {"name": "relationship_to_deceased", "type": "select", "label_vi": "Quan hệ với người chết", "label_en": "Your relationship to the deceased", "required": true, "options": [{"value": "spouse", "label_vi": "Vợ, chồng", "label_en": "Spouse"}, {"value": "child", "label_vi": "Con", "label_en": "Child"}, {"value": "parent", "label_vi": "Cha, mẹ", "label_en": "Parent"}, {"value": "other_relative", "label_vi": "Người thân thích khác", "label_en": "Other relative"}, {"value": "authorised", "label_vi": "Người được ủy quyền", "label_en": "Authorised representative"}]},
      {"name": "remove_permanent_residence", "type": "boolean", "label_vi": "Đề nghị xóa đăng ký thường trú của người chết (liên thông)", "label_en": "Also remove the deceased''s permanent residence record"},
      {"name": "claim_funeral_allowance", "type": "boolean", "label_vi": "Đề nghị giải quyết mai táng phí, trợ cấp tuất (liên thông)", "label_en": "Also claim the funeral and survivor allowances"},
      {"name": "extract_copies", "type": "number", "label_vi": "Số bản sao trích lục đề nghị cấp thêm", "label_en": "Number of extra certified extract copies", "integer": true, "min": 0, "max": 10, "help_vi": "Mỗi bản sao trích lục hộ tịch: 8.000 đồng.", "help_en": "Each certified extract copy costs 8,000 VND."}
    ]'::jsonb,
    'giấy chứng tử, khai tử, báo tử, làm giấy chứng tử, người thân mất, trích lục khai tử, death certificate'
);

-- Đăng ký kết hôn
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    '1.000894',
    'Đăng ký kết hôn',
    'Marriage registration',
    'Hộ tịch',
    'Civil status',
    'Đăng ký kết hôn giữa hai công dân Việt Nam cư trú ở trong nước. Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi, tự nguyện và không thuộc trường hợp cấm kết hôn. Giấy chứng nhận kết hôn được trao ngay khi hồ sơ đủ; nếu cần xác minh thì không quá 05 ngày làm việc. Hai bên phải cùng có mặt khi nhận và ký Giấy chứng nhận kết hôn.',
    'Registers the marriage of two Vietnamese citizens living in Vietnam. The man must be at least 20 and the woman at least 18, both consenting and not barred from marrying. The certificate is issued as soon as the file is complete, or within 5 working days if checks are needed. Both partners must be present to sign it.',
    'Căn cước hoặc hộ chiếu còn giá trị của cả hai bên; Giấy xác nhận tình trạng hôn nhân nếu bên kết hôn không cư trú tại xã nơi đăng ký và thông tin chưa có trong cơ sở dữ liệu; bản án, quyết định ly hôn đã có hiệu lực nếu đã từng kết hôn. Cả hai bên cùng có mặt khi nhận Giấy chứng nhận kết hôn.',
    'Valid identity cards or passports of both partners; a marital status certificate if a partner does not reside in the registering commune and the database cannot confirm it; the final divorce judgment or decision if previously married. Both partners come in person to receive the certificate.',
    'commune',
    'Ủy ban nhân dân cấp xã nơi cư trú của một trong hai bên',
    'People''s Committee of the commune where either partner resides',
    'partial_online',
    0,
    'Miễn lệ phí đăng ký kết hôn của công dân Việt Nam cư trú ở trong nước. Bản sao trích lục kết hôn (nếu yêu cầu): 8.000 đồng/bản.',
    'No fee for Vietnamese citizens residing in Vietnam. Certified extract copies (if requested): 8,000 VND each.',
    1,
    '[
      "Luật Hôn nhân và gia đình số 52/2014/QH13",
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP",
      "Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch"
    ]'::jsonb,
    '[
      {"code": "XN_TINH_TRANG_HON_NHAN", "name_vi": "Giấy xác nhận tình trạng hôn nhân (nếu bên kết hôn cư trú ở xã khác và thông tin chưa có trong cơ sở dữ liệu)", "name_en": "Marital status certificate (if a partner lives in another commune and the database cannot confirm it)", "required": false, "photo_accepted": true},
      {"code": "QUYET_DINH_LY_HON", "name_vi": "Bản án, quyết định ly hôn đã có hiệu lực pháp luật (nếu đã từng kết hôn)", "name_en": "Final divorce judgment or decision (if previously married)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "spouse_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người kết hôn cùng", "label_en": "Partner''s full name", "required": true, "max_length": 100},
      {"name": "spouse_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người kết hôn cùng", "label_en": "Partner''s date of birth", "required": true, "not_in_future": true},
      {"name": "spouse_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người kết hôn cùng", "label_en": "Partner''s personal ID number", "required": true},
      {"name": "spouse_ethnicity", "type": "text", "label_vi": "Dân tộc của người kết hôn cùng", "label_en": "Partner''s ethnicity", "max_length": 50},
      {"name": "spouse_residence", "type": "admin_unit", "label_vi": "Nơi cư trú của người kết hôn cùng (tỉnh, xã)", "label_en": "Partner''s place of residence (province, commune)", "required": true},
      {"name": "applicant_marital_history", "type": "select", "label_vi": "Tình trạng hôn nhân của bạn trước khi kết hôn", "label_en": "Your marital history", "required": true, "options": [{"value": "never_married", "label_vi": "Chưa từng kết hôn", "label_en": "Never married"}, {"value": "divorced", "label_vi": "Đã ly hôn", "label_en": "Divorced"}, {"value": "widowed", "label_vi": "Vợ/chồng đã chết", "label_en": "Widowed"}]},
      {"name": "spouse_marital_history", "type": "select", "label_vi": "Tình trạng hôn nhân của người kết hôn cùng trước khi kết hôn", "label_en": "Partner''s marital history", "required": true, "options": [{"value": "never_married", "label_vi": "Chưa từng kết hôn", "label_en": "Never married"}, {"value": "divorced", "label_vi": "Đã ly hôn", "label_en": "Divorced"}, {"value": "widowed", "label_vi": "Vợ/chồng đã chết", "label_en": "Widowed"}]},
      {"name": "preferred_date", "type": "date", "label_vi": "Ngày mong muốn nhận Giấy chứng nhận kết hôn", "label_en": "Preferred date to receive the certificate", "help_vi": "Cán bộ sẽ liên hệ để thống nhất ngày hai bên cùng có mặt.", "help_en": "The officer will confirm a date when both of you can attend."}
    ]'::jsonb,
    'giấy đăng ký kết hôn, giấy kết hôn, làm giấy kết hôn, đăng kí kết hôn, cưới, lấy vợ, lấy chồng, marriage certificate'
);

-- Cấp Giấy xác nhận tình trạng hôn nhân
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    '1.004873',
    'Cấp Giấy xác nhận tình trạng hôn nhân',
    'Marital status certificate',
    'Hộ tịch',
    'Civil status',
    'Xác nhận một người đang độc thân, đã ly hôn hoặc đang có vợ/chồng, để kết hôn hoặc dùng vào mục đích khác (mua bán nhà đất, vay vốn, xuất khẩu lao động…). Giấy có giá trị 6 tháng kể từ ngày cấp; khi dùng để kết hôn chỉ có giá trị với người kết hôn được ghi trong giấy.',
    'Certifies that a person is single, divorced or married, for a marriage or another purpose (property transactions, loans, working abroad…). Valid for 6 months; when issued for marriage it is valid only for the partner named in it.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; bản án, quyết định ly hôn hoặc trích lục khai tử của vợ/chồng nếu đã từng kết hôn; Giấy xác nhận tình trạng hôn nhân đã cấp trước đây (nếu đề nghị cấp lại cho mục đích khác hoặc đã hết hạn).',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the divorce judgment or the spouse''s death extract if previously married; any marital status certificate issued before (when asking again for another purpose or after it expired).',
    'commune',
    'Ủy ban nhân dân cấp xã nơi thường trú (hoặc nơi tạm trú)',
    'People''s Committee of the commune of permanent (or temporary) residence',
    'full_online',
    3000,
    'Lệ phí do Hội đồng nhân dân cấp tỉnh quy định (ví dụ: Hà Nội, TP. Hồ Chí Minh 3.000 đồng; Hải Phòng 5.000 đồng; Đà Nẵng 15.000 đồng). Miễn cho người thuộc hộ nghèo, gia đình có công với cách mạng, người khuyết tật.',
    'Fee set by the provincial People''s Council (e.g. Hanoi and Ho Chi Minh City 3,000 VND, Hai Phong 5,000, Da Nang 15,000). Free for poor households, families of people with meritorious service and people with disabilities.',
    3,
    '[
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương"
    ]'::jsonb,
    '[
      {"code": "QUYET_DINH_LY_HON_HOAC_KHAI_TU", "name_vi": "Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ/chồng (nếu đã từng kết hôn)", "name_en": "Divorce judgment or spouse''s death extract (if previously married)", "required": false, "photo_accepted": true},
      {"code": "XN_TTHN_DA_CAP", "name_vi": "Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây", "name_en": "Marital status certificate issued before", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "purpose", "type": "select", "label_vi": "Mục đích sử dụng", "label_en": "Purpose", "required": true, "options": [{"value": "marriage", "label_vi": "Để đăng ký kết hôn", "label_en": "To register a marriage"}, {"value": "property", "label_vi": "Giao dịch nhà, đất", "label_en": "Property or land transaction"}, {"value": "loan", "label_vi": "Vay vốn ngân hàng", "label_en": "Bank loan"}, {"value": "work_abroad", "label_vi": "Lao động, học tập ở nước ngoài", "label_en": "Working or studying abroad"}, {"value": "other", "label_vi": "Mục đích khác", "label_en": "Other purpose"}]},
      {"name": "purpose_detail", "type": "text", "label_vi": "Ghi rõ mục đích (nếu chọn mục đích khác)", "label_en": "Purpose details (if other)", "max_length": 200},
      {"name": "current_marital_status", "type": "select", "label_vi": "Tình trạng hôn nhân hiện tại", "label_en": "Current marital status", "required": true, "options": [{"value": "single", "label_vi": "Chưa đăng ký kết hôn với ai", "label_en": "Never registered a marriage"}, {"value": "divorced", "label_vi": "Đã ly hôn, hiện chưa kết hôn", "label_en": "Divorced, not remarried"}, {"value": "widowed", "label_vi": "Vợ/chồng đã chết, hiện chưa kết hôn", "label_en": "Widowed, not remarried"}, {"value": "married", "label_vi": "Đang có vợ/chồng", "label_en": "Currently married"}]},
      {"name": "intended_spouse_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người dự định kết hôn", "label_en": "Full name of the intended spouse", "max_length": 100, "help_vi": "Bắt buộc khi xin giấy để kết hôn.", "help_en": "Needed when the certificate is for a marriage."},
      {"name": "intended_spouse_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người dự định kết hôn", "label_en": "Intended spouse''s date of birth", "not_in_future": true},
      {"name": "intended_spouse_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người dự định kết hôn", "label_en": "Intended spouse''s personal ID number"},
      {"name": "intended_spouse_nationality", "type": "text", "label_vi": "Quốc tịch của người dự định kết hôn", "label_en": "Intended spouse''s nationality", "max_length": 100},
      {"name": "marriage_registration_place", "type": "text", "label_vi": "Nơi dự định đăng ký kết hôn", "label_en": "Where the marriage will be registered", "max_length": 200},
      {"name": "previous_residences", "type": "long_text", "label_vi": "Các nơi đã thường trú trước đây (nếu đã thay đổi nơi thường trú)", "label_en": "Previous places of permanent residence (if you moved)", "max_length": 1000, "help_vi": "Dùng để xác minh tình trạng hôn nhân trong thời gian cư trú ở nơi khác.", "help_en": "Used to check your marital status while you lived elsewhere."}
    ]'::jsonb,
    'giấy xác nhận độc thân, xác nhận độc thân, giấy độc thân, xác nhận tình trạng hôn nhân, xin giấy độc thân để kết hôn, single status certificate'
);

-- Cấp bản sao trích lục hộ tịch
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'HT-BANSAO-TRICHLUC',
    'Cấp bản sao trích lục hộ tịch',
    'Certified copy of a civil status extract',
    'Hộ tịch',
    'Civil status',
    'Cấp bản sao trích lục về sự kiện hộ tịch đã đăng ký (khai sinh, kết hôn, khai tử…), dùng thay cho bản sao Giấy khai sinh, Giấy chứng nhận kết hôn bị mất hoặc khi cần thêm bản. Người yêu cầu là chính người đó, người thân hoặc người được ủy quyền.',
    'Issues certified copies of a registered civil status event (birth, marriage, death…), e.g. to replace a lost birth or marriage certificate copy. The person concerned, a relative or an authorised person may ask.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; văn bản ủy quyền nếu yêu cầu cấp bản sao cho người khác không phải là người thân.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; a power of attorney when asking for someone who is not a relative.',
    'commune',
    'Ủy ban nhân dân cấp xã nơi đã đăng ký sự kiện hộ tịch hoặc nơi khai thác được Cơ sở dữ liệu hộ tịch điện tử',
    'People''s Committee of the commune where the event was registered, or any commune with access to the electronic civil status database',
    'full_online',
    8000,
    '8.000 đồng cho mỗi bản sao trích lục.',
    '8,000 VND per certified extract copy.',
    1,
    '[
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP",
      "Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch"
    ]'::jsonb,
    '[
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (nếu yêu cầu cho người khác)", "name_en": "Power of attorney (when asking for someone else)", "required": false, "photo_accepted": true},
      {"code": "GIAY_TO_HO_TICH_CU", "name_vi": "Bản chụp giấy tờ hộ tịch đã cấp trước đây (nếu có), giúp tra cứu nhanh", "name_en": "Photo of the civil status paper issued before (if any), to speed up the search", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "event_type", "type": "select", "label_vi": "Loại sự kiện hộ tịch", "label_en": "Kind of civil status event", "required": true, "options": [{"value": "birth", "label_vi": "Khai sinh", "label_en": "Birth"}, {"value": "marriage", "label_vi": "Kết hôn", "label_en": "Marriage"}, {"value": "death", "label_vi": "Khai tử", "label_en": "Death"}, {"value": "guardianship", "label_vi": "Giám hộ", "label_en": "Guardianship"}, {"value": "parentage", "label_vi": "Nhận cha, mẹ, con", "label_en": "Recognition of parentage"}, {"value": "change_correction", "label_vi": "Thay đổi, cải chính hộ tịch", "label_en": "Change or correction of civil status"}]},
      {"name": "subject_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người được cấp trích lục", "label_en": "Full name of the person in the record", "required": true, "max_length": 100},
      {"name": "subject_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người được cấp trích lục", "label_en": "Date of birth of the person in the record", "required": true, "not_in_future": true},
      {"name": "subject_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người được cấp trích lục", "label_en": "Personal ID number of the person in the record"},
      {"name": "relationship_to_subject", "type": "select", "label_vi": "Quan hệ với người được cấp trích lục", "label_en": "Your relationship to that person", "required": true, "options": [{"value": "self", "label_vi": "Chính tôi", "label_en": "Myself"}, {"value": "parent", "label_vi": "Cha, mẹ", "label_en": "Parent"}, {"value": "child", "label_vi": "Con", "label_en": "Child"}, {"value": "spouse", "label_vi": "Vợ, chồng", "label_en": "Spouse"}, {"value": "other_relative", "label_vi": "Người thân thích khác", "label_en": "Other relative"}, {"value": "authorised", "label_vi": "Người được ủy quyền", "label_en": "Authorised representative"}]},
      {"name": "registration_place", "type": "admin_unit", "label_vi": "Nơi đã đăng ký (đơn vị hành chính hiện nay)", "label_en": "Where the event was registered (current administrative unit)", "required": true},
      {"name": "registration_date", "type": "date", "label_vi": "Ngày đăng ký (nếu nhớ)", "label_en": "Registration date (if known)", "not_in_future": true},
      {"name": "registration_number", "type": "text", "label_vi": "Số đăng ký, quyển số (nếu có)", "label_en": "Registration and book number (if known)", "max_length": 50},
      {"name": "copies", "type": "number", "label_vi": "Số bản sao đề nghị cấp", "label_en": "Number of copies", "required": true, "integer": true, "min": 1, "max": 20},
      {"name": "purpose", "type": "text", "label_vi": "Mục đích sử dụng", "label_en": "Purpose", "max_length": 200}
    ]'::jsonb,
    'trích lục khai sinh, bản sao giấy khai sinh, xin lại giấy khai sinh, mất giấy khai sinh, bản sao giấy kết hôn, trích lục kết hôn, trích lục khai tử, trích lục hộ tịch'
);

-- Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'HT-THAYDOI-CAICHINH',
    'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc',
    'Change, correction or completion of civil status details; re-determination of ethnicity',
    'Hộ tịch',
    'Civil status',
    'Thay đổi họ, chữ đệm, tên; cải chính thông tin hộ tịch bị sai do lỗi khi đăng ký; bổ sung thông tin còn thiếu; xác định lại dân tộc. Từ 01/7/2025 Ủy ban nhân dân cấp xã giải quyết cho cả người từ đủ 14 tuổi trở lên. Thời hạn 03 ngày làm việc; nếu cần xác minh thì kéo dài không quá 03 ngày làm việc.',
    'Changes a family, middle or given name; corrects civil status details recorded wrongly; completes missing details; re-determines ethnicity. Since 1 July 2025 the commune handles adults too. 3 working days, up to 3 more if checks are needed.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; bản chính giấy tờ hộ tịch cần thay đổi, cải chính (Giấy khai sinh…); các giấy tờ làm căn cứ cho việc thay đổi, cải chính (học bạ, bằng cấp, hồ sơ, giấy tờ của cha mẹ…); văn bản đồng ý của người được thay đổi họ, tên nếu người đó từ đủ 9 tuổi trở lên.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the original civil status paper to be changed (birth certificate…); the papers supporting the change (school records, diplomas, the parents'' papers…); the consent of the person concerned if aged 9 or over.',
    'commune',
    'Ủy ban nhân dân cấp xã',
    'Commune People''s Committee',
    'partial_online',
    15000,
    'Lệ phí do Hội đồng nhân dân cấp tỉnh quy định, thường từ 5.000 đến 28.000 đồng tùy địa phương và việc thay đổi. Miễn cho người thuộc hộ nghèo, gia đình có công với cách mạng, người khuyết tật. Bản sao trích lục: 8.000 đồng/bản.',
    'Fee set by the provincial People''s Council, usually 5,000–28,000 VND depending on the province and the change. Free for poor households, families of people with meritorious service and people with disabilities. Extract copies: 8,000 VND each.',
    3,
    '[
      "Bộ luật Dân sự số 91/2015/QH13 (Điều 26 đến Điều 29)",
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương",
      "Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí khai thác, sử dụng thông tin trong cơ sở dữ liệu hộ tịch"
    ]'::jsonb,
    '[
      {"code": "GIAY_TO_HO_TICH", "name_vi": "Giấy tờ hộ tịch cần thay đổi, cải chính (Giấy khai sinh…)", "name_en": "The civil status paper to be changed (birth certificate…)", "required": true, "photo_accepted": true},
      {"code": "GIAY_TO_CAN_CU", "name_vi": "Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung", "name_en": "Papers supporting the change", "required": true, "photo_accepted": true},
      {"code": "VAN_BAN_DONG_Y", "name_vi": "Văn bản đồng ý của người được thay đổi (nếu từ đủ 9 tuổi trở lên)", "name_en": "Consent of the person concerned (if aged 9 or over)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "request_type", "type": "select", "label_vi": "Loại yêu cầu", "label_en": "Kind of request", "required": true, "options": [{"value": "change", "label_vi": "Thay đổi họ, chữ đệm, tên", "label_en": "Change of name"}, {"value": "correction", "label_vi": "Cải chính thông tin bị sai", "label_en": "Correction of a wrong detail"}, {"value": "supplement", "label_vi": "Bổ sung thông tin còn thiếu", "label_en": "Completion of missing details"}, {"value": "ethnicity", "label_vi": "Xác định lại dân tộc", "label_en": "Re-determination of ethnicity"}]},
      {"name": "subject_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người có thông tin cần thay đổi", "label_en": "Full name of the person whose record changes", "required": true, "max_length": 100},
      {"name": "subject_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người đó", "label_en": "That person''s date of birth", "required": true, "not_in_future": true},
      {"name": "subject_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người đó", "label_en": "That person''s personal ID number"},
      {"name": "record_type", "type": "select", "label_vi": "Giấy tờ hộ tịch cần thay đổi", "label_en": "Record to change", "required": true, "options": [{"value": "birth", "label_vi": "Giấy khai sinh", "label_en": "Birth certificate"}, {"value": "marriage", "label_vi": "Giấy chứng nhận kết hôn", "label_en": "Marriage certificate"}, {"value": "death", "label_vi": "Trích lục khai tử", "label_en": "Death extract"}, {"value": "other", "label_vi": "Giấy tờ hộ tịch khác", "label_en": "Other civil status record"}]},
      {"name": "current_information", "type": "long_text", "label_vi": "Thông tin hiện đang ghi", "label_en": "Details as currently recorded", "required": true, "max_length": 1000},
      {"name": "requested_information", "type": "long_text", "label_vi": "Thông tin đề nghị thay đổi thành", "label_en": "Details as they should be", "required": true, "max_length": 1000},
      {"name": "reason", "type": "long_text", "label_vi": "Lý do", "label_en": "Reason", "required": true, "max_length": 2000},
      {"name": "extract_copies", "type": "number", "label_vi": "Số bản sao trích lục đề nghị cấp thêm", "label_en": "Number of extra certified extract copies", "integer": true, "min": 0, "max": 10, "help_vi": "Mỗi bản sao trích lục hộ tịch: 8.000 đồng.", "help_en": "Each certified extract copy costs 8,000 VND."}
    ]'::jsonb,
    'đổi tên, đổi họ, sửa giấy khai sinh, sai ngày sinh, cải chính hộ tịch, bổ sung hộ tịch, sửa tên trong giấy khai sinh, xác định lại dân tộc'
);

-- Đăng ký giám hộ
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'HT-GIAMHO',
    'Đăng ký giám hộ',
    'Guardianship registration',
    'Hộ tịch',
    'Civil status',
    'Đăng ký việc giám hộ cho người chưa thành niên không còn cha mẹ hoặc cha mẹ không đủ điều kiện chăm sóc, hoặc người mất năng lực hành vi dân sự; gồm giám hộ đương nhiên và giám hộ cử. Kết quả trả ngay khi hồ sơ đủ; nếu cần xác minh thì không quá 03 ngày làm việc.',
    'Registers a guardian for a minor without parents able to care for them, or for an adult who lacks legal capacity; covers statutory and appointed guardians. Decided as soon as the file is complete, or within 3 working days if checks are needed.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; văn bản cử người giám hộ (giám hộ cử) hoặc giấy tờ chứng minh điều kiện giám hộ đương nhiên; giấy tờ chứng minh người được giám hộ thuộc diện cần giám hộ (trích lục khai tử của cha mẹ, quyết định của tòa án…).',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the appointment of the guardian (appointed guardianship) or proof of statutory guardianship; proof that the ward needs a guardian (the parents'' death extracts, a court decision…).',
    'commune',
    'Ủy ban nhân dân cấp xã nơi cư trú của người được giám hộ hoặc người giám hộ',
    'People''s Committee of the commune where the ward or the guardian resides',
    'partial_online',
    0,
    'Miễn lệ phí đăng ký giám hộ cho công dân Việt Nam cư trú ở trong nước.',
    'No fee for Vietnamese citizens residing in Vietnam.',
    1,
    '[
      "Bộ luật Dân sự số 91/2015/QH13 (Điều 46 đến Điều 63)",
      "Luật Hộ tịch số 60/2014/QH13",
      "Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch (được sửa đổi, bổ sung năm 2020, 2022 và 2025)",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết thi hành một số điều của Luật Hộ tịch và Nghị định số 123/2015/NĐ-CP"
    ]'::jsonb,
    '[
      {"code": "VAN_BAN_CU_GIAM_HO", "name_vi": "Văn bản cử người giám hộ hoặc giấy tờ chứng minh giám hộ đương nhiên", "name_en": "Appointment of the guardian or proof of statutory guardianship", "required": true, "photo_accepted": true},
      {"code": "GIAY_TO_CAN_GIAM_HO", "name_vi": "Giấy tờ chứng minh người được giám hộ cần có người giám hộ", "name_en": "Proof that the ward needs a guardian", "required": true, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "guardianship_type", "type": "select", "label_vi": "Loại giám hộ", "label_en": "Kind of guardianship", "required": true, "options": [{"value": "statutory", "label_vi": "Giám hộ đương nhiên", "label_en": "Statutory guardianship"}, {"value": "appointed", "label_vi": "Giám hộ cử", "label_en": "Appointed guardianship"}]},
      {"name": "ward_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người được giám hộ", "label_en": "Ward''s full name", "required": true, "max_length": 100},
      {"name": "ward_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người được giám hộ", "label_en": "Ward''s date of birth", "required": true, "not_in_future": true},
      {"name": "ward_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người được giám hộ", "label_en": "Ward''s personal ID number"},
      {"name": "ward_residence", "type": "admin_unit", "label_vi": "Nơi cư trú của người được giám hộ (tỉnh, xã)", "label_en": "Ward''s residence (province, commune)", "required": true},
      {"name": "relationship_to_ward", "type": "select", "label_vi": "Quan hệ của bạn với người được giám hộ", "label_en": "Your relationship to the ward", "required": true, "options": [{"value": "sibling", "label_vi": "Anh, chị ruột", "label_en": "Elder sibling"}, {"value": "grandparent", "label_vi": "Ông, bà", "label_en": "Grandparent"}, {"value": "uncle_aunt", "label_vi": "Bác, chú, cậu, cô, dì", "label_en": "Uncle or aunt"}, {"value": "spouse", "label_vi": "Vợ, chồng", "label_en": "Spouse"}, {"value": "child", "label_vi": "Con", "label_en": "Child"}, {"value": "parent", "label_vi": "Cha, mẹ", "label_en": "Parent"}, {"value": "other", "label_vi": "Người khác được cử", "label_en": "Other appointed person"}]},
      {"name": "reason", "type": "long_text", "label_vi": "Lý do cần giám hộ", "label_en": "Why a guardian is needed", "required": true, "max_length": 2000}
    ]'::jsonb,
    'giám hộ, người giám hộ, giám hộ trẻ em, nuôi cháu, giám hộ đương nhiên'
);

-- Đăng ký thường trú
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'CT-THUONGTRU',
    'Đăng ký thường trú',
    'Permanent residence registration',
    'Đăng ký, quản lý cư trú',
    'Residence registration',
    'Đăng ký nơi thường trú khi chuyển đến sinh sống ổn định, lâu dài tại chỗ ở hợp pháp: nhà thuộc sở hữu của mình; nhà của người thân (vợ, chồng, con, cha mẹ…) khi chủ hộ, chủ sở hữu đồng ý; hoặc nhà thuê, mượn, ở nhờ bảo đảm diện tích tối thiểu do Hội đồng nhân dân cấp tỉnh quy định. Người đăng ký phải khai báo trong 12 tháng kể từ khi đủ điều kiện. Thời hạn giải quyết 07 ngày làm việc.',
    'Registers your permanent address when you settle at a lawful home: one you own; a relative''s home (spouse, child, parents…) with the household head''s or owner''s consent; or a rented, borrowed or lent home meeting the minimum floor area set by the province. Apply within 12 months of becoming eligible. 7 working days.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; bản chính giấy tờ chứng minh chỗ ở hợp pháp để đối chiếu (Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà; hợp đồng thuê, mượn, ở nhờ…) nếu thông tin chưa có trong cơ sở dữ liệu; giấy tờ chứng minh quan hệ nhân thân khi nhập vào hộ của người thân.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the original proof of lawful residence (land-use or house ownership certificate, rental or lending contract…) if not already in the databases; proof of family relationship when joining a relative''s household.',
    'commune',
    'Công an cấp xã nơi đăng ký thường trú',
    'Police of the commune where you register',
    'full_online',
    20000,
    '20.000 đồng/lần khi nộp trực tiếp; 10.000 đồng/lần khi nộp qua Cổng dịch vụ công hoặc ứng dụng VNeID. Miễn cho trẻ em, người cao tuổi, người khuyết tật, người thuộc hộ nghèo, gia đình có công với cách mạng và một số đối tượng khác theo quy định.',
    '20,000 VND in person; 10,000 VND when filed through the public service portal or the VNeID app. Exempt: children, older people, people with disabilities, poor households, families of people with meritorious service and others as provided.',
    7,
    '[
      "Luật Cư trú số 68/2020/QH14",
      "Nghị định số 154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú",
      "Thông tư số 55/2021/TT-BCA ngày 15/5/2021 của Bộ trưởng Bộ Công an quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú (được sửa đổi, bổ sung)",
      "Thông tư số 75/2022/TT-BTC ngày 22/12/2022 của Bộ Tài chính quy định mức thu, chế độ thu, nộp và quản lý lệ phí đăng ký cư trú"
    ]'::jsonb,
    '[
      {"code": "CHO_O_HOP_PHAP", "name_vi": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (nếu chưa có trong cơ sở dữ liệu)", "name_en": "Proof of lawful residence (if not in the databases)", "required": true, "photo_accepted": true},
      {"code": "QUAN_HE_NHAN_THAN", "name_vi": "Giấy tờ chứng minh quan hệ nhân thân với chủ hộ (khi nhập vào hộ người thân)", "name_en": "Proof of family relationship with the household head (when joining a relative''s household)", "required": false, "photo_accepted": true},
      {"code": "Y_KIEN_CHU_HO", "name_vi": "Văn bản đồng ý của chủ hộ, chủ sở hữu chỗ ở (nếu không ký trực tiếp trên tờ khai)", "name_en": "Written consent of the household head or home owner (if not signed on the declaration)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "new_residence", "type": "admin_unit", "label_vi": "Nơi đăng ký thường trú (tỉnh, xã)", "label_en": "Permanent address (province, commune)", "required": true},
      {"name": "new_residence_street", "type": "text", "label_vi": "Số nhà, đường phố, thôn, tổ dân phố", "label_en": "House number, street, village or residential group", "required": true, "max_length": 200},
      {"name": "residence_basis", "type": "select", "label_vi": "Chỗ ở hợp pháp thuộc trường hợp", "label_en": "Kind of lawful home", "required": true, "options": [{"value": "own_property", "label_vi": "Nhà thuộc quyền sở hữu của tôi", "label_en": "A home I own"}, {"value": "relative_household", "label_vi": "Nhập vào hộ của người thân (vợ, chồng, con, cha mẹ…)", "label_en": "Joining a relative''s household (spouse, child, parents…)"}, {"value": "rented_or_borrowed", "label_vi": "Nhà thuê, mượn, ở nhờ", "label_en": "A rented, borrowed or lent home"}, {"value": "other", "label_vi": "Trường hợp khác (cơ sở tín ngưỡng, tôn giáo, trợ giúp xã hội…)", "label_en": "Other (religious establishment, social care facility…)"}]},
      {"name": "household_head_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên chủ hộ", "label_en": "Household head''s full name", "max_length": 100, "help_vi": "Khi nhập vào hộ gia đình đã có.", "help_en": "When joining an existing household."},
      {"name": "household_head_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của chủ hộ", "label_en": "Household head''s personal ID number"},
      {"name": "relationship_to_household_head", "type": "text", "label_vi": "Quan hệ với chủ hộ", "label_en": "Relationship to the household head", "max_length": 50, "help_vi": "Ví dụ: con, vợ, cháu…", "help_en": "For example child, wife, grandchild…"},
      {"name": "floor_area_m2", "type": "number", "label_vi": "Diện tích sàn nhà thuê, mượn, ở nhờ (m²)", "label_en": "Floor area of the rented or borrowed home (m²)", "min": 1, "max": 100000},
      {"name": "accompanying_members", "type": "long_text", "label_vi": "Những người cùng đăng ký thường trú", "label_en": "People registering with you", "max_length": 2000, "help_vi": "Họ tên, ngày sinh, số định danh cá nhân và quan hệ với bạn, mỗi người một dòng.", "help_en": "Full name, date of birth, personal ID number and relationship, one per line."}
    ]'::jsonb,
    'nhập hộ khẩu, chuyển hộ khẩu, hộ khẩu, đăng ký hộ khẩu, thường trú, nhập khẩu, chuyển khẩu, permanent residence'
);

-- Đăng ký tạm trú
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'CT-TAMTRU',
    'Đăng ký tạm trú',
    'Temporary residence registration',
    'Đăng ký, quản lý cư trú',
    'Residence registration',
    'Công dân đến sinh sống tại chỗ ở hợp pháp ngoài phạm vi xã nơi thường trú để lao động, học tập hoặc vì mục đích khác từ 30 ngày trở lên phải đăng ký tạm trú. Thời hạn tạm trú tối đa 02 năm và có thể gia hạn nhiều lần. Thời hạn giải quyết 03 ngày làm việc.',
    'Anyone staying 30 days or more at a lawful home outside their commune of permanent residence, for work, study or another reason, must register temporary residence. Valid up to 2 years and renewable. 3 working days.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà, văn bản cho mượn, cho ở nhờ…) nếu thông tin chưa có trong cơ sở dữ liệu.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; proof of lawful residence (rental contract, written permission to stay…) if not already in the databases.',
    'commune',
    'Công an cấp xã nơi đăng ký tạm trú',
    'Police of the commune where you stay',
    'full_online',
    15000,
    '15.000 đồng/lần khi nộp trực tiếp; 7.000 đồng/lần khi nộp trực tuyến. Miễn cho trẻ em, người cao tuổi, người khuyết tật, người thuộc hộ nghèo và một số đối tượng khác theo quy định.',
    '15,000 VND in person; 7,000 VND online. Exempt: children, older people, people with disabilities, poor households and others as provided.',
    3,
    '[
      "Luật Cư trú số 68/2020/QH14",
      "Nghị định số 154/2024/NĐ-CP ngày 26/11/2024 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú",
      "Thông tư số 55/2021/TT-BCA ngày 15/5/2021 của Bộ trưởng Bộ Công an quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú (được sửa đổi, bổ sung)",
      "Thông tư số 75/2022/TT-BTC ngày 22/12/2022 của Bộ Tài chính quy định mức thu, chế độ thu, nộp và quản lý lệ phí đăng ký cư trú"
    ]'::jsonb,
    '[
      {"code": "CHO_O_HOP_PHAP", "name_vi": "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà, văn bản cho ở nhờ…)", "name_en": "Proof of lawful residence (rental contract, permission to stay…)", "required": true, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "residence", "type": "admin_unit", "label_vi": "Nơi đăng ký tạm trú (tỉnh, xã)", "label_en": "Temporary address (province, commune)", "required": true},
      {"name": "residence_street", "type": "text", "label_vi": "Số nhà, đường phố, thôn, tổ dân phố", "label_en": "House number, street, village or residential group", "required": true, "max_length": 200},
      {"name": "start_date", "type": "date", "label_vi": "Ngày bắt đầu tạm trú", "label_en": "Start date", "required": true},
      {"name": "duration_months", "type": "number", "label_vi": "Thời hạn đề nghị tạm trú (tháng)", "label_en": "Requested duration (months)", "required": true, "integer": true, "min": 1, "max": 24},
      {"name": "purpose", "type": "select", "label_vi": "Mục đích tạm trú", "label_en": "Reason for staying", "required": true, "options": [{"value": "work", "label_vi": "Lao động, làm việc", "label_en": "Work"}, {"value": "study", "label_vi": "Học tập", "label_en": "Study"}, {"value": "medical", "label_vi": "Chữa bệnh", "label_en": "Medical treatment"}, {"value": "family", "label_vi": "Sống cùng gia đình, người thân", "label_en": "Living with family"}, {"value": "other", "label_vi": "Khác", "label_en": "Other"}]},
      {"name": "accommodation_type", "type": "select", "label_vi": "Loại chỗ ở", "label_en": "Kind of home", "required": true, "options": [{"value": "rented", "label_vi": "Nhà thuê, phòng trọ", "label_en": "Rented home or room"}, {"value": "relative", "label_vi": "Nhà người thân", "label_en": "A relative''s home"}, {"value": "dormitory", "label_vi": "Ký túc xá, nhà ở tập thể", "label_en": "Dormitory or collective housing"}, {"value": "own_property", "label_vi": "Nhà của mình", "label_en": "My own home"}, {"value": "other", "label_vi": "Khác", "label_en": "Other"}]},
      {"name": "host_full_name", "type": "text", "label_vi": "Họ tên chủ nhà hoặc chủ hộ", "label_en": "Landlord''s or host''s name", "max_length": 100},
      {"name": "host_phone", "type": "phone", "label_vi": "Số điện thoại chủ nhà", "label_en": "Landlord''s or host''s phone"},
      {"name": "accompanying_members", "type": "long_text", "label_vi": "Những người cùng đăng ký tạm trú", "label_en": "People registering with you", "max_length": 2000, "help_vi": "Họ tên, ngày sinh, số định danh cá nhân, mỗi người một dòng.", "help_en": "Full name, date of birth, personal ID number, one per line."}
    ]'::jsonb,
    'tạm trú, đăng ký tạm trú, khai báo tạm trú, sổ tạm trú, thuê trọ, phòng trọ, temporary residence'
);

-- Chứng thực bản sao từ bản chính
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'CHT-BANSAO',
    'Chứng thực bản sao từ bản chính',
    'Certified copy from an original document',
    'Chứng thực',
    'Certification',
    'Chứng thực bản sao đúng với bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam hoặc nước ngoài cấp (giấy tờ nước ngoài phải được hợp pháp hóa lãnh sự, trừ trường hợp được miễn). Từ 01/7/2025 Ủy ban nhân dân cấp xã chứng thực cả bản sao giấy tờ nước ngoài. Trả kết quả trong ngày; hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo.',
    'Certifies copies as true to originals issued by Vietnamese or foreign authorities (foreign papers need consular legalisation unless exempt). Since 1 July 2025 communes also certify copies of foreign papers. Same day (next working day if received after 15:00).',
    'Bản chính giấy tờ, văn bản cần chứng thực (không nhận bản chính bị tẩy xóa, sửa chữa, hư hỏng hoặc có nội dung trái pháp luật) và bản chụp nếu đã chuẩn bị sẵn; thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ.',
    'The original document (not accepted if altered, damaged or unlawful) and copies if you made them; the applicant''s valid identity card (Căn cước / CCCD) or passport.',
    'commune',
    'Ủy ban nhân dân cấp xã (hoặc tổ chức hành nghề công chứng)',
    'Commune People''s Committee (or a notary office)',
    'partial_online',
    2000,
    '2.000 đồng/trang cho trang thứ nhất và thứ hai; từ trang thứ ba trở đi 1.000 đồng/trang; tối đa 200.000 đồng/bản.',
    '2,000 VND a page for the first two pages, 1,000 VND a page from the third; at most 200,000 VND per copy.',
    1,
    '[
      "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 01/2020/TT-BTP ngày 03/3/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết và hướng dẫn thi hành một số điều của Nghị định số 23/2015/NĐ-CP",
      "Thông tư số 226/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực"
    ]'::jsonb,
    '[
      {"code": "BAN_CHINH", "name_vi": "Bản chính giấy tờ, văn bản cần chứng thực (xuất trình để đối chiếu)", "name_en": "The original document (shown for comparison)", "required": true, "photo_accepted": false},
      {"code": "BAN_CHUP", "name_vi": "Bản chụp giấy tờ cần chứng thực (nếu tự chuẩn bị)", "name_en": "Copies of the document (if you made them)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "document_name", "type": "text", "label_vi": "Tên giấy tờ cần chứng thực", "label_en": "Document to be copied", "required": true, "max_length": 200, "help_vi": "Ví dụ: Bằng tốt nghiệp trung học phổ thông, Giấy khai sinh…", "help_en": "For example a high-school diploma or a birth certificate."},
      {"name": "issued_by", "type": "select", "label_vi": "Cơ quan cấp giấy tờ", "label_en": "Issued by", "required": true, "options": [{"value": "vietnam", "label_vi": "Cơ quan, tổ chức có thẩm quyền của Việt Nam", "label_en": "A Vietnamese authority"}, {"value": "foreign", "label_vi": "Cơ quan, tổ chức có thẩm quyền của nước ngoài", "label_en": "A foreign authority"}]},
      {"name": "page_count", "type": "number", "label_vi": "Số trang của giấy tờ", "label_en": "Number of pages", "required": true, "integer": true, "min": 1, "max": 500},
      {"name": "copy_count", "type": "number", "label_vi": "Số bản sao cần chứng thực", "label_en": "Number of certified copies", "required": true, "integer": true, "min": 1, "max": 100},
      {"name": "electronic_copy", "type": "boolean", "label_vi": "Nhận bản sao điện tử", "label_en": "Receive electronic copies", "help_vi": "Bản sao điện tử được chứng thực từ bản chính, dùng cho thủ tục trực tuyến.", "help_en": "Electronically certified copies, for use in online procedures."},
      {"name": "purpose", "type": "text", "label_vi": "Mục đích sử dụng", "label_en": "Purpose", "max_length": 200}
    ]'::jsonb,
    'công chứng, sao y, sao y bản chính, công chứng giấy tờ, photo công chứng, chứng thực bản sao, công chứng bằng, certified copy'
);

-- Chứng thực chữ ký
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'CHT-CHUKY',
    'Chứng thực chữ ký',
    'Signature certification',
    'Chứng thực',
    'Certification',
    'Chứng thực chữ ký trong giấy tờ, văn bản là chữ ký của người yêu cầu chứng thực (giấy ủy quyền không có thù lao, đơn từ, bản cam kết…). Người yêu cầu phải ký trước mặt người thực hiện chứng thực nên phải đến trực tiếp. Trả kết quả trong ngày.',
    'Certifies that a signature on a paper (unpaid authorisation, application, undertaking…) is the signer''s. You must sign in front of the officer, so you come in person. Same day.',
    'Giấy tờ, văn bản sẽ ký (chưa ký trước); căn cước hoặc hộ chiếu còn giá trị của từng người ký.',
    'The unsigned paper; the valid identity card or passport of each signer.',
    'commune',
    'Ủy ban nhân dân cấp xã (hoặc tổ chức hành nghề công chứng)',
    'Commune People''s Committee (or a notary office)',
    'info',
    10000,
    '10.000 đồng/trường hợp (một trường hợp là một hoặc nhiều chữ ký trong cùng một giấy tờ, văn bản).',
    '10,000 VND per case (one or more signatures on the same paper).',
    1,
    '[
      "Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
      "Nghị định số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp",
      "Thông tư số 01/2020/TT-BTP ngày 03/3/2020 của Bộ trưởng Bộ Tư pháp quy định chi tiết và hướng dẫn thi hành một số điều của Nghị định số 23/2015/NĐ-CP",
      "Thông tư số 226/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực"
    ]'::jsonb,
    '[
      {"code": "GIAY_TO_CAN_KY", "name_vi": "Giấy tờ, văn bản sẽ ký chứng thực (chưa ký)", "name_en": "The paper to be signed (unsigned)", "required": true, "photo_accepted": false}
    ]'::jsonb,
    '[
      {"name": "document_title", "type": "text", "label_vi": "Tên giấy tờ, văn bản", "label_en": "Title of the paper", "required": true, "max_length": 200, "help_vi": "Ví dụ: Giấy ủy quyền, Đơn xin việc…", "help_en": "For example an authorisation letter or a job application."},
      {"name": "document_language", "type": "select", "label_vi": "Ngôn ngữ của giấy tờ", "label_en": "Language of the paper", "required": true, "options": [{"value": "vietnamese", "label_vi": "Tiếng Việt", "label_en": "Vietnamese"}, {"value": "foreign", "label_vi": "Tiếng nước ngoài", "label_en": "Foreign language"}, {"value": "bilingual", "label_vi": "Song ngữ", "label_en": "Bilingual"}]},
      {"name": "signer_count", "type": "number", "label_vi": "Số người ký", "label_en": "Number of signers", "required": true, "integer": true, "min": 1, "max": 20},
      {"name": "copy_count", "type": "number", "label_vi": "Số bản cần chứng thực", "label_en": "Number of copies to certify", "required": true, "integer": true, "min": 1, "max": 50},
      {"name": "purpose", "type": "text", "label_vi": "Mục đích sử dụng", "label_en": "Purpose", "max_length": 200}
    ]'::jsonb,
    'chứng thực chữ ký, xác nhận chữ ký, công chứng chữ ký, giấy ủy quyền, ký xác nhận'
);

-- Đăng ký thành lập hộ kinh doanh
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'HKD-THANHLAP',
    'Đăng ký thành lập hộ kinh doanh',
    'Household business registration',
    'Thành lập và hoạt động của hộ kinh doanh',
    'Household businesses',
    'Cá nhân hoặc các thành viên hộ gia đình là công dân Việt Nam đăng ký thành lập hộ kinh doanh và được cấp Giấy chứng nhận đăng ký hộ kinh doanh trong 03 ngày làm việc nếu hồ sơ hợp lệ. Hộ gia đình sản xuất nông, lâm, ngư nghiệp, làm muối, người bán hàng rong, kinh doanh thời vụ, làm dịch vụ có thu nhập thấp không phải đăng ký, trừ ngành nghề kinh doanh có điều kiện.',
    'A Vietnamese individual or family registers a household business and receives the registration certificate within 3 working days if the file is valid. Farming, forestry, fishing and salt-making households, street vendors, seasonal traders and low-income services need not register, except in conditional business lines.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; bản chính biên bản họp thành viên hộ gia đình và văn bản ủy quyền cho chủ hộ (nếu các thành viên hộ gia đình cùng đăng ký).',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the original minutes of the family meeting and the family''s authorisation of the business owner (if family members register together).',
    'commune',
    'Phòng Kinh tế (hoặc Phòng Kinh tế, Hạ tầng và Đô thị) thuộc Ủy ban nhân dân cấp xã nơi đặt trụ sở hộ kinh doanh',
    'Economic Division of the People''s Committee of the commune where the business is located',
    'full_online',
    100000,
    'Lệ phí đăng ký hộ kinh doanh do Hội đồng nhân dân cấp tỉnh quy định (thường 50.000 – 100.000 đồng); nhiều địa phương miễn hoặc giảm khi nộp trực tuyến.',
    'Registration fee set by the provincial People''s Council (usually 50,000–100,000 VND); many provinces waive or reduce it for online applications.',
    3,
    '[
      "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về đăng ký doanh nghiệp (gồm đăng ký hộ kinh doanh)",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương"
    ]'::jsonb,
    '[
      {"code": "BIEN_BAN_HOP_HO_GIA_DINH", "name_vi": "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu các thành viên hộ gia đình cùng đăng ký)", "name_en": "Minutes of the family meeting on setting up the business (if family members register together)", "required": false, "photo_accepted": true},
      {"code": "UY_QUYEN_CHU_HO", "name_vi": "Văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh (nếu có)", "name_en": "Family members'' authorisation of one member as business owner (if any)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "business_name", "type": "text", "label_vi": "Tên hộ kinh doanh", "label_en": "Business name", "required": true, "max_length": 100, "help_vi": "Gồm cụm từ “Hộ kinh doanh” và tên riêng, ví dụ: Hộ kinh doanh Hoa Mai.", "help_en": "“Hộ kinh doanh” followed by a proper name, e.g. Hộ kinh doanh Hoa Mai."},
      {"name": "business_location", "type": "admin_unit", "label_vi": "Địa điểm kinh doanh (tỉnh, xã)", "label_en": "Business location (province, commune)", "required": true},
      {"name": "business_street", "type": "text", "label_vi": "Số nhà, đường phố, thôn, tổ dân phố", "label_en": "House number, street, village or residential group", "required": true, "max_length": 200},
      {"name": "business_lines", "type": "long_text", "label_vi": "Ngành, nghề kinh doanh", "label_en": "Business lines", "required": true, "max_length": 2000},
      {"name": "capital_vnd", "type": "number", "label_vi": "Tổng số vốn kinh doanh (đồng)", "label_en": "Business capital (VND)", "required": true, "integer": true, "min": 0},
      {"name": "employee_count", "type": "number", "label_vi": "Số lao động", "label_en": "Number of workers", "integer": true, "min": 0, "max": 10000},
      {"name": "registered_by_family", "type": "boolean", "label_vi": "Các thành viên hộ gia đình cùng đăng ký", "label_en": "Registered by family members together"},
      {"name": "business_phone", "type": "phone", "label_vi": "Số điện thoại của hộ kinh doanh", "label_en": "Business phone"}
    ]'::jsonb,
    'giấy phép kinh doanh, đăng ký kinh doanh hộ cá thể, hộ kinh doanh cá thể, mở cửa hàng, mở quán, kinh doanh nhỏ, household business'
);

-- Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'XD-GPXD-NHAORIENGLE',
    'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
    'Construction permit for a new detached house',
    'Hoạt động xây dựng',
    'Construction',
    'Cấp giấy phép xây dựng mới nhà ở riêng lẻ của hộ gia đình, cá nhân. Được miễn giấy phép: nhà ở riêng lẻ ở nông thôn dưới 07 tầng thuộc khu vực không có quy hoạch đô thị, quy hoạch chi tiết xây dựng điểm dân cư nông thôn; nhà ở riêng lẻ ở miền núi, hải đảo thuộc khu vực không có quy hoạch (trừ khu bảo tồn, di tích). Thời hạn 15 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.',
    'Issues a building permit for a new detached family house. Exempt: rural houses under 7 storeys outside areas with an approved urban, zoning or village detail plan, and houses in mountain or island areas without such plans (outside heritage and conservation zones). 15 days from a complete file.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; bản chính Giấy chứng nhận quyền sử dụng đất để đối chiếu; 02 bộ bản vẽ thiết kế xây dựng.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the original land-use right certificate for comparison; two sets of design drawings.',
    'commune',
    'Ủy ban nhân dân cấp xã nơi xây dựng công trình',
    'People''s Committee of the commune where the house is built',
    'partial_online',
    75000,
    'Lệ phí cấp giấy phép xây dựng do Hội đồng nhân dân cấp tỉnh quy định; phổ biến 75.000 đồng/giấy phép đối với nhà ở riêng lẻ (ví dụ Hà Nội, TP. Hồ Chí Minh), một số tỉnh 50.000 đồng.',
    'Fee set by the provincial People''s Council; commonly 75,000 VND per permit for a detached house (e.g. Hanoi, Ho Chi Minh City), 50,000 VND in some provinces.',
    15,
    '[
      "Luật Xây dựng số 50/2014/QH13 (được sửa đổi, bổ sung bởi Luật số 62/2020/QH14)",
      "Nghị định số 175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản lý hoạt động xây dựng",
      "Nghị định số 140/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Xây dựng",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương"
    ]'::jsonb,
    '[
      {"code": "GIAY_TO_DAT", "name_vi": "Giấy tờ chứng minh quyền sử dụng đất (bản sao hoặc bản chụp)", "name_en": "Proof of the land-use right (copy or photo)", "required": true, "photo_accepted": true},
      {"code": "BAN_VE_THIET_KE", "name_vi": "Bản vẽ thiết kế xây dựng: mặt bằng công trình trên lô đất kèm sơ đồ vị trí; mặt bằng các tầng, mặt đứng, mặt cắt chính; mặt bằng móng, mặt cắt móng; sơ đồ đấu nối hạ tầng kỹ thuật", "name_en": "Design drawings: site plan with location map; floor plans, main elevation and section; foundation plan and section; utility connection diagram", "required": true, "photo_accepted": true},
      {"code": "CAM_KET_AN_TOAN", "name_vi": "Văn bản cam kết bảo đảm an toàn đối với công trình liền kề (khi xây chen, có tầng hầm)", "name_en": "Undertaking on the safety of adjoining buildings (infill or basement works)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "site", "type": "admin_unit", "label_vi": "Địa điểm xây dựng (tỉnh, xã)", "label_en": "Building site (province, commune)", "required": true},
      {"name": "site_street", "type": "text", "label_vi": "Số nhà, đường phố, thôn, tổ dân phố", "label_en": "House number, street, village or residential group", "required": true, "max_length": 200},
      {"name": "parcel_number", "type": "text", "label_vi": "Số thửa đất", "label_en": "Parcel number", "required": true, "max_length": 10, "pattern": "[0-9]{1,10}"},
      {"name": "map_sheet_number", "type": "text", "label_vi": "Số tờ bản đồ", "label_en": "Map sheet number", "required": true, "max_length": 10, "pattern": "[0-9]{1,10}"},
      {"name": "land_certificate_number", "type": "text", "label_vi": "Số phát hành Giấy chứng nhận quyền sử dụng đất", "label_en": "Serial number of the land-use right certificate", "required": true, "max_length": 30},
      {"name": "land_area_m2", "type": "number", "label_vi": "Diện tích lô đất (m²)", "label_en": "Plot area (m²)", "required": true, "min": 1, "max": 100000},
      {"name": "construction_area_m2", "type": "number", "label_vi": "Diện tích xây dựng tầng 1 (m²)", "label_en": "Ground-floor footprint (m²)", "required": true, "min": 1, "max": 100000},
      {"name": "total_floor_area_m2", "type": "number", "label_vi": "Tổng diện tích sàn (m²)", "label_en": "Total floor area (m²)", "required": true, "min": 1, "max": 1000000},
      {"name": "floors", "type": "number", "label_vi": "Số tầng (kể cả tầng hầm, tầng lửng, tum)", "label_en": "Number of storeys (including basement, mezzanine, roof structure)", "required": true, "integer": true, "min": 1, "max": 50},
      {"name": "height_m", "type": "number", "label_vi": "Chiều cao công trình (m)", "label_en": "Building height (m)", "required": true, "min": 1, "max": 300},
      {"name": "has_basement", "type": "boolean", "label_vi": "Có tầng hầm", "label_en": "Has a basement"},
      {"name": "design_unit", "type": "text", "label_vi": "Đơn vị hoặc cá nhân thiết kế", "label_en": "Designer or design firm", "max_length": 200},
      {"name": "expected_start_date", "type": "date", "label_vi": "Ngày dự kiến khởi công", "label_en": "Planned start date"}
    ]'::jsonb,
    'xin phép xây dựng, giấy phép xây nhà, xin giấy phép xây dựng nhà ở, xây nhà, giấy phép xây dựng nhà ở nông thôn, building permit'
);

-- Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'DD-CAPGCN-LANDAU',
    'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu',
    'First registration of land and attached assets and first issue of the land-use right certificate',
    'Đất đai',
    'Land',
    'Đăng ký và cấp Giấy chứng nhận (sổ đỏ) lần đầu cho cá nhân, hộ gia đình đang sử dụng đất có hoặc không có giấy tờ về quyền sử dụng đất. Thời gian giải quyết không quá 20 ngày làm việc, không kể thời gian niêm yết công khai, trích đo địa chính, xác định và thực hiện nghĩa vụ tài chính; xã miền núi, hải đảo, vùng có điều kiện kinh tế – xã hội khó khăn được cộng thêm 10 ngày.',
    'Registers land in use by individuals or households, with or without land papers, and issues the first land-use right certificate (red book). At most 20 working days, not counting public posting, cadastral survey and financial obligations; 10 more days in mountain, island and disadvantaged communes.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; bản chính giấy tờ về quyền sử dụng đất (nếu có), giấy tờ về quyền sở hữu nhà ở, công trình (nếu đăng ký tài sản), chứng từ nộp tiền hoặc giấy tờ miễn, giảm nghĩa vụ tài chính (nếu có).',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; the original land papers (if any), house or building ownership papers (if registering assets), receipts or exemptions for financial obligations (if any).',
    'commune',
    'Ủy ban nhân dân cấp xã (cấp Giấy chứng nhận); Văn phòng đăng ký đất đai hoặc Chi nhánh thực hiện đăng ký',
    'Commune People''s Committee (issues the certificate); the Land Registration Office or its branch (registration)',
    'partial_online',
    25000,
    'Lệ phí cấp Giấy chứng nhận do Hội đồng nhân dân cấp tỉnh quy định (phổ biến 25.000 đồng khi chỉ có quyền sử dụng đất, khoảng 100.000 đồng khi có cả tài sản). Chưa gồm phí thẩm định hồ sơ (nếu tỉnh có thu) và các nghĩa vụ tài chính: tiền sử dụng đất (nếu có), lệ phí trước bạ 0,5%.',
    'Certificate fee set by the provincial People''s Council (commonly 25,000 VND for land only, about 100,000 VND with buildings). Not included: file appraisal fee (where charged) and financial obligations such as land-use levy and the 0.5% registration fee.',
    20,
    '[
      "Luật Đất đai số 31/2024/QH15",
      "Nghị định số 101/2024/NĐ-CP ngày 29/7/2024 của Chính phủ quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất và hệ thống thông tin đất đai",
      "Nghị định số 151/2025/NĐ-CP ngày 12/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp, phân quyền, phân cấp trong lĩnh vực đất đai",
      "Nghị định số 103/2024/NĐ-CP ngày 30/7/2024 của Chính phủ quy định về tiền sử dụng đất, tiền thuê đất",
      "Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc trung ương"
    ]'::jsonb,
    '[
      {"code": "GIAY_TO_QSDD", "name_vi": "Giấy tờ về quyền sử dụng đất theo Điều 137 Luật Đất đai (nếu có)", "name_en": "Land-use papers under Article 137 of the Land Law (if any)", "required": false, "photo_accepted": true},
      {"code": "GIAY_TO_TAI_SAN", "name_vi": "Giấy tờ về quyền sở hữu nhà ở, công trình xây dựng (nếu đăng ký tài sản)", "name_en": "House or building ownership papers (if registering assets)", "required": false, "photo_accepted": true},
      {"code": "CHUNG_TU_TAI_CHINH", "name_vi": "Chứng từ thực hiện nghĩa vụ tài chính hoặc giấy tờ miễn, giảm (nếu có)", "name_en": "Receipts for, or exemption from, financial obligations (if any)", "required": false, "photo_accepted": true},
      {"code": "TRICH_DO_DIA_CHINH", "name_vi": "Mảnh trích đo bản đồ địa chính thửa đất (nơi chưa có bản đồ địa chính)", "name_en": "Cadastral survey extract of the parcel (where no cadastral map exists)", "required": false, "photo_accepted": true},
      {"code": "THANH_VIEN_HO", "name_vi": "Văn bản xác định các thành viên hộ gia đình có chung quyền sử dụng đất (đất của hộ gia đình)", "name_en": "Statement of the household members sharing the land-use right (household land)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "parcel_location", "type": "admin_unit", "label_vi": "Vị trí thửa đất (tỉnh, xã)", "label_en": "Parcel location (province, commune)", "required": true},
      {"name": "parcel_address", "type": "text", "label_vi": "Địa chỉ thửa đất (số nhà, đường, thôn, xóm)", "label_en": "Parcel address (house number, street, village)", "required": true, "max_length": 200},
      {"name": "parcel_number", "type": "text", "label_vi": "Số thửa đất", "label_en": "Parcel number", "max_length": 10, "pattern": "[0-9]{1,10}", "help_vi": "Nếu đã có bản đồ địa chính.", "help_en": "If a cadastral map exists."},
      {"name": "map_sheet_number", "type": "text", "label_vi": "Số tờ bản đồ", "label_en": "Map sheet number", "max_length": 10, "pattern": "[0-9]{1,10}"},
      {"name": "area_m2", "type": "number", "label_vi": "Diện tích đề nghị đăng ký (m²)", "label_en": "Area to register (m²)", "required": true, "min": 1, "max": 10000000},
      {"name": "land_use_purpose", "type": "select", "label_vi": "Mục đích sử dụng đất", "label_en": "Land use", "required": true, "options": [{"value": "residential", "label_vi": "Đất ở", "label_en": "Residential land"}, {"value": "annual_crops", "label_vi": "Đất trồng cây hằng năm (kể cả đất trồng lúa)", "label_en": "Annual crops (including rice)"}, {"value": "perennial_crops", "label_vi": "Đất trồng cây lâu năm", "label_en": "Perennial crops"}, {"value": "aquaculture", "label_vi": "Đất nuôi trồng thủy sản", "label_en": "Aquaculture"}, {"value": "production_forest", "label_vi": "Đất rừng sản xuất", "label_en": "Production forest"}, {"value": "residential_and_garden", "label_vi": "Đất ở và đất vườn, ao trong cùng thửa", "label_en": "Residential land with garden or pond on the same parcel"}, {"value": "other", "label_vi": "Mục đích khác", "label_en": "Other"}]},
      {"name": "land_origin", "type": "select", "label_vi": "Nguồn gốc sử dụng đất", "label_en": "How you came to use the land", "required": true, "options": [{"value": "inherited", "label_vi": "Được thừa kế", "label_en": "Inherited"}, {"value": "gifted", "label_vi": "Được tặng cho", "label_en": "Gift"}, {"value": "purchased", "label_vi": "Nhận chuyển nhượng (mua)", "label_en": "Purchased"}, {"value": "allocated", "label_vi": "Được Nhà nước giao, cho thuê", "label_en": "Allocated or leased by the State"}, {"value": "self_reclaimed", "label_vi": "Tự khai hoang, sử dụng ổn định", "label_en": "Reclaimed and used stably"}, {"value": "other", "label_vi": "Khác", "label_en": "Other"}]},
      {"name": "use_start_date", "type": "date", "label_vi": "Thời điểm bắt đầu sử dụng đất", "label_en": "When you started using the land", "required": true, "not_in_future": true, "help_vi": "Ghi ngày ước tính nếu không nhớ chính xác.", "help_en": "An approximate date is fine."},
      {"name": "has_land_papers", "type": "boolean", "label_vi": "Có giấy tờ về quyền sử dụng đất", "label_en": "You have land-use papers"},
      {"name": "register_buildings", "type": "boolean", "label_vi": "Đăng ký cả nhà ở, công trình trên đất", "label_en": "Also register the house or buildings"},
      {"name": "building_floor_area_m2", "type": "number", "label_vi": "Diện tích sàn nhà ở, công trình (m²)", "label_en": "Floor area of the house or buildings (m²)", "min": 1, "max": 1000000},
      {"name": "request_levy_deferral", "type": "boolean", "label_vi": "Đề nghị ghi nợ tiền sử dụng đất", "label_en": "Ask to defer the land-use levy"}
    ]'::jsonb,
    'sổ đỏ, làm sổ đỏ, cấp sổ đỏ lần đầu, sổ hồng, giấy chứng nhận quyền sử dụng đất, bìa đỏ, đăng ký đất đai, land certificate, red book'
);

-- Thực hiện trợ cấp hưu trí xã hội cho người cao tuổi
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    '1.014027',
    'Thực hiện trợ cấp hưu trí xã hội cho người cao tuổi',
    'Social pension for older people',
    'Bảo trợ xã hội',
    'Social protection',
    'Từ 01/7/2025, công dân Việt Nam từ đủ 75 tuổi không hưởng lương hưu, trợ cấp bảo hiểm xã hội hằng tháng (hoặc hưởng thấp hơn mức trợ cấp hưu trí xã hội), và người từ đủ 70 đến dưới 75 tuổi thuộc hộ nghèo, hộ cận nghèo được hưởng trợ cấp hưu trí xã hội 500.000 đồng/tháng, được cấp thẻ bảo hiểm y tế và hỗ trợ mai táng phí. Chủ tịch Ủy ban nhân dân cấp xã xem xét, quyết định trong 10 ngày làm việc.',
    'Since 1 July 2025 Vietnamese citizens aged 75 or over without a pension or monthly social insurance benefit (or with one below the social pension), and those aged 70–74 in poor or near-poor households, receive a social pension of 500,000 VND a month, a health insurance card and funeral support. The commune chairperson decides within 10 working days.',
    'Căn cước của người cao tuổi (và của người nộp thay, nếu có); quyết định hưởng lương hưu hoặc trợ cấp bảo hiểm xã hội hằng tháng nếu đang hưởng mức thấp hơn 500.000 đồng/tháng.',
    'The older person''s identity card (and the applicant''s, if applying on their behalf); the pension or monthly social insurance decision if the current benefit is below 500,000 VND a month.',
    'commune',
    'Chủ tịch Ủy ban nhân dân cấp xã',
    'Chairperson of the commune People''s Committee',
    'partial_online',
    0,
    'Không thu phí, lệ phí.',
    'No fee.',
    10,
    '[
      "Luật Bảo hiểm xã hội số 41/2024/QH15 (Điều 21 đến Điều 23)",
      "Nghị định số 176/2025/NĐ-CP ngày 30/6/2025 của Chính phủ quy định chi tiết và hướng dẫn thi hành một số điều của Luật Bảo hiểm xã hội về trợ cấp hưu trí xã hội",
      "Luật Người cao tuổi số 39/2009/QH12"
    ]'::jsonb,
    '[
      {"code": "QD_LUONG_HUU", "name_vi": "Quyết định hưởng lương hưu, trợ cấp bảo hiểm xã hội hằng tháng (nếu đang hưởng mức thấp hơn mức trợ cấp hưu trí xã hội)", "name_en": "Pension or monthly social insurance decision (if the benefit is below the social pension)", "required": false, "photo_accepted": true},
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (nếu nộp thay)", "name_en": "Authorisation (if applying on someone''s behalf)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "beneficiary_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người cao tuổi được đề nghị trợ cấp", "label_en": "Full name of the older person the allowance is for", "max_length": 100, "help_vi": "Chỉ điền khi bạn nộp thay cho người cao tuổi; để trống nếu đề nghị cho chính mình.", "help_en": "Fill in only when applying on an older person''s behalf; leave empty for yourself."},
      {"name": "beneficiary_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người cao tuổi", "label_en": "Personal ID number of the older person", "help_vi": "Chỉ điền khi nộp thay.", "help_en": "Only when applying on their behalf."},
      {"name": "beneficiary_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người cao tuổi", "label_en": "Date of birth of the older person", "not_in_future": true, "help_vi": "Chỉ điền khi nộp thay.", "help_en": "Only when applying on their behalf."},
      {"name": "current_benefit", "type": "select", "label_vi": "Tình trạng hưởng lương hưu, trợ cấp bảo hiểm xã hội", "label_en": "Current pension or social insurance benefit", "required": true, "options": [{"value": "none", "label_vi": "Không hưởng lương hưu, trợ cấp bảo hiểm xã hội hằng tháng", "label_en": "No pension or monthly social insurance benefit"}, {"value": "below_social_pension", "label_vi": "Đang hưởng nhưng thấp hơn mức trợ cấp hưu trí xã hội", "label_en": "Receiving less than the social pension"}]},
      {"name": "current_benefit_vnd", "type": "number", "label_vi": "Mức lương hưu, trợ cấp đang hưởng (đồng/tháng)", "label_en": "Current monthly pension or benefit (VND)", "integer": true, "min": 0, "max": 499999},
      {"name": "poor_or_near_poor_household", "type": "boolean", "label_vi": "Thuộc hộ nghèo hoặc hộ cận nghèo", "label_en": "Member of a poor or near-poor household", "help_vi": "Điều kiện cho người từ đủ 70 đến dưới 75 tuổi.", "help_en": "The condition for people aged 70 to 74."},
      {"name": "payment_method", "type": "select", "label_vi": "Hình thức nhận trợ cấp", "label_en": "How to receive the allowance", "required": true, "options": [{"value": "cash", "label_vi": "Nhận tiền mặt tại xã hoặc qua bưu điện", "label_en": "Cash at the commune or by post"}, {"value": "bank_account", "label_vi": "Chuyển khoản vào tài khoản ngân hàng", "label_en": "Transfer to a bank account"}]},
      {"name": "bank_name", "type": "text", "label_vi": "Tên ngân hàng", "label_en": "Bank name", "max_length": 100, "help_vi": "Khi nhận qua tài khoản ngân hàng.", "help_en": "When paid into a bank account."},
      {"name": "bank_account_number", "type": "text", "label_vi": "Số tài khoản", "label_en": "Account number", "max_length": 20, "pattern": "[0-9]{6,20}", "help_vi": "Chỉ gồm chữ số.", "help_en": "Digits only."},
      {"name": "bank_account_holder", "type": "text", "label_vi": "Chủ tài khoản", "label_en": "Account holder", "max_length": 100}
    ]'::jsonb,
    'trợ cấp người cao tuổi, trợ cấp người già, tiền già, trợ cấp 75 tuổi, trợ cấp xã hội hàng tháng người cao tuổi, hưu trí xã hội, social pension'
);

-- Thực hiện trợ cấp xã hội hằng tháng đối với người cao tuổi thuộc diện bảo trợ xã hội
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'BTXH-TROCAP-NCT',
    'Thực hiện trợ cấp xã hội hằng tháng đối với người cao tuổi thuộc diện bảo trợ xã hội',
    'Monthly social allowance for older people under social protection',
    'Bảo trợ xã hội',
    'Social protection',
    'Trợ cấp xã hội hằng tháng cho người cao tuổi thuộc hộ nghèo không có người có nghĩa vụ và quyền phụng dưỡng (hoặc người phụng dưỡng đang hưởng trợ cấp xã hội), người từ đủ 75 tuổi thuộc hộ nghèo, hộ cận nghèo sống ở xã, thôn vùng đồng bào dân tộc thiểu số và miền núi đặc biệt khó khăn… Mức hưởng theo hệ số của mức chuẩn trợ giúp xã hội 500.000 đồng/tháng; kèm thẻ bảo hiểm y tế. Hồ sơ được xã xem xét, niêm yết công khai và Chủ tịch Ủy ban nhân dân cấp xã quyết định.',
    'Monthly allowance for older people in poor households with no one obliged to support them (or whose supporter receives social assistance), people aged 75+ in poor or near-poor households in especially disadvantaged ethnic-minority and mountain areas, and similar cases. Paid as a multiple of the 500,000 VND social assistance standard, with a health insurance card. The commune reviews, posts the list publicly and its chairperson decides.',
    'Căn cước của người cao tuổi (và của người nộp thay, nếu có); giấy tờ chứng minh thuộc hộ nghèo, hộ cận nghèo nếu thông tin chưa có trong cơ sở dữ liệu.',
    'The older person''s identity card (and the applicant''s, if applying on their behalf); proof of poor or near-poor household status if not in the databases.',
    'commune',
    'Chủ tịch Ủy ban nhân dân cấp xã',
    'Chairperson of the commune People''s Committee',
    'partial_online',
    0,
    'Không thu phí, lệ phí.',
    'No fee.',
    20,
    '[
      "Luật Người cao tuổi số 39/2009/QH12",
      "Nghị định số 20/2021/NĐ-CP ngày 15/3/2021 của Chính phủ quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội (được sửa đổi, bổ sung bởi Nghị định số 76/2024/NĐ-CP ngày 01/7/2024)"
    ]'::jsonb,
    '[
      {"code": "XAC_NHAN_HO_NGHEO", "name_vi": "Giấy chứng nhận hộ nghèo, hộ cận nghèo (nếu chưa có trong cơ sở dữ liệu)", "name_en": "Poor or near-poor household certificate (if not in the databases)", "required": false, "photo_accepted": true},
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (nếu nộp thay)", "name_en": "Authorisation (if applying on someone''s behalf)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "beneficiary_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên người cao tuổi được đề nghị trợ cấp", "label_en": "Full name of the older person the allowance is for", "max_length": 100, "help_vi": "Chỉ điền khi bạn nộp thay cho người cao tuổi; để trống nếu đề nghị cho chính mình.", "help_en": "Fill in only when applying on an older person''s behalf; leave empty for yourself."},
      {"name": "beneficiary_citizen_id", "type": "citizen_id", "label_vi": "Số định danh cá nhân của người cao tuổi", "label_en": "Personal ID number of the older person", "help_vi": "Chỉ điền khi nộp thay.", "help_en": "Only when applying on their behalf."},
      {"name": "beneficiary_date_of_birth", "type": "date", "label_vi": "Ngày sinh của người cao tuổi", "label_en": "Date of birth of the older person", "not_in_future": true, "help_vi": "Chỉ điền khi nộp thay.", "help_en": "Only when applying on their behalf."},
      {"name": "elderly_category", "type": "select", "label_vi": "Trường hợp đề nghị trợ cấp", "label_en": "Eligibility case", "required": true, "options": [{"value": "poor_no_supporter", "label_vi": "Thuộc hộ nghèo, không có người có nghĩa vụ và quyền phụng dưỡng hoặc người phụng dưỡng đang hưởng trợ cấp xã hội hằng tháng", "label_en": "Poor household, no one obliged to support them, or the supporter receives social assistance"}, {"value": "aged_75_disadvantaged_area", "label_vi": "Từ đủ 75 tuổi, thuộc hộ nghèo, hộ cận nghèo, sống ở xã, thôn vùng đồng bào dân tộc thiểu số và miền núi đặc biệt khó khăn", "label_en": "Aged 75+, poor or near-poor household, living in an especially disadvantaged ethnic-minority or mountain area"}, {"value": "community_care", "label_vi": "Thuộc hộ nghèo, không có người phụng dưỡng, có người nhận chăm sóc tại cộng đồng", "label_en": "Poor household, no supporter, cared for by someone in the community"}]},
      {"name": "living_arrangement", "type": "select", "label_vi": "Hoàn cảnh sống hiện nay", "label_en": "Living arrangement", "required": true, "options": [{"value": "alone", "label_vi": "Sống một mình", "label_en": "Lives alone"}, {"value": "with_relatives", "label_vi": "Sống cùng người thân", "label_en": "Lives with relatives"}, {"value": "with_carer", "label_vi": "Có người nhận chăm sóc", "label_en": "Cared for by a carer"}]},
      {"name": "circumstances", "type": "long_text", "label_vi": "Hoàn cảnh cụ thể", "label_en": "Circumstances", "max_length": 2000},
      {"name": "payment_method", "type": "select", "label_vi": "Hình thức nhận trợ cấp", "label_en": "How to receive the allowance", "required": true, "options": [{"value": "cash", "label_vi": "Nhận tiền mặt tại xã hoặc qua bưu điện", "label_en": "Cash at the commune or by post"}, {"value": "bank_account", "label_vi": "Chuyển khoản vào tài khoản ngân hàng", "label_en": "Transfer to a bank account"}]},
      {"name": "bank_name", "type": "text", "label_vi": "Tên ngân hàng", "label_en": "Bank name", "max_length": 100, "help_vi": "Khi nhận qua tài khoản ngân hàng.", "help_en": "When paid into a bank account."},
      {"name": "bank_account_number", "type": "text", "label_vi": "Số tài khoản", "label_en": "Account number", "max_length": 20, "pattern": "[0-9]{6,20}", "help_vi": "Chỉ gồm chữ số.", "help_en": "Digits only."},
      {"name": "bank_account_holder", "type": "text", "label_vi": "Chủ tài khoản", "label_en": "Account holder", "max_length": 100}
    ]'::jsonb,
    'trợ cấp xã hội người cao tuổi, trợ cấp bảo trợ xã hội, người già neo đơn, trợ cấp hàng tháng người già, người cao tuổi không nơi nương tựa'
);

-- Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'GN-HONGHEO-PHATSINH',
    'Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm',
    'Recognition of a poor or near-poor household during the year',
    'Giảm nghèo',
    'Poverty reduction',
    'Hộ gia đình gặp khó khăn đột xuất trong năm (ốm đau, tai nạn, thiên tai, mất việc làm…) đề nghị rà soát và công nhận là hộ nghèo hoặc hộ cận nghèo theo chuẩn nghèo đa chiều (giai đoạn 2022–2025: thu nhập bình quân từ 1.500.000 đồng/người/tháng trở xuống ở nông thôn, 2.000.000 đồng ở thành thị), để được cấp giấy chứng nhận và hưởng chính sách hỗ trợ (bảo hiểm y tế, vay vốn ưu đãi, miễn giảm học phí…).',
    'A household facing sudden hardship during the year (illness, accident, disaster, job loss…) asks to be assessed and recognised as poor or near-poor under the multidimensional poverty standard (2022–2025: income up to 1,500,000 VND per person a month in rural areas, 2,000,000 VND in urban areas), giving access to health insurance, preferential loans, tuition support and other aid.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; giấy tờ chứng minh hoàn cảnh khó khăn (giấy ra viện, xác nhận thiệt hại, quyết định chấm dứt hợp đồng lao động…) nếu có.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; papers showing the hardship (hospital discharge, damage report, termination of employment…) if any.',
    'commune',
    'Chủ tịch Ủy ban nhân dân cấp xã',
    'Chairperson of the commune People''s Committee',
    'partial_online',
    0,
    'Không thu phí, lệ phí.',
    'No fee.',
    10,
    '[
      "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ quy định chuẩn nghèo đa chiều giai đoạn 2021–2025",
      "Quyết định số 24/2021/QĐ-TTg ngày 16/7/2021 của Thủ tướng Chính phủ quy định quy trình rà soát hộ nghèo, hộ cận nghèo hằng năm và quy trình xác định hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình giai đoạn 2022–2025",
      "Thông tư số 07/2021/TT-BLĐTBXH ngày 18/7/2021 của Bộ trưởng Bộ Lao động – Thương binh và Xã hội hướng dẫn phương pháp rà soát, phân loại hộ nghèo, hộ cận nghèo"
    ]'::jsonb,
    '[
      {"code": "GIAY_TO_HOAN_CANH", "name_vi": "Giấy tờ chứng minh hoàn cảnh khó khăn (giấy ra viện, xác nhận thiệt hại…), nếu có", "name_en": "Papers showing the hardship (hospital discharge, damage report…), if any", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "request_type", "type": "select", "label_vi": "Đề nghị công nhận", "label_en": "Recognition requested", "required": true, "options": [{"value": "poor", "label_vi": "Hộ nghèo", "label_en": "Poor household"}, {"value": "near_poor", "label_vi": "Hộ cận nghèo", "label_en": "Near-poor household"}]},
      {"name": "household_size", "type": "number", "label_vi": "Số nhân khẩu trong hộ", "label_en": "Number of household members", "required": true, "integer": true, "min": 1, "max": 50},
      {"name": "household_members", "type": "long_text", "label_vi": "Thành viên hộ gia đình", "label_en": "Household members", "required": true, "max_length": 3000, "help_vi": "Họ tên, năm sinh, quan hệ với chủ hộ, mỗi người một dòng.", "help_en": "Full name, year of birth and relationship to the head, one per line."},
      {"name": "monthly_income_per_person_vnd", "type": "number", "label_vi": "Thu nhập bình quân đầu người mỗi tháng (đồng, ước tính)", "label_en": "Average monthly income per person (VND, estimate)", "integer": true, "min": 0, "max": 100000000},
      {"name": "hardship_reason", "type": "select", "label_vi": "Nguyên nhân khó khăn", "label_en": "Cause of hardship", "required": true, "options": [{"value": "illness", "label_vi": "Ốm đau, bệnh hiểm nghèo", "label_en": "Illness"}, {"value": "accident", "label_vi": "Tai nạn", "label_en": "Accident"}, {"value": "disaster", "label_vi": "Thiên tai, hỏa hoạn, dịch bệnh", "label_en": "Disaster, fire or epidemic"}, {"value": "job_loss", "label_vi": "Mất việc làm, mất nguồn thu nhập", "label_en": "Loss of job or income"}, {"value": "breadwinner_death", "label_vi": "Người lao động chính qua đời", "label_en": "Death of the main earner"}, {"value": "other", "label_vi": "Nguyên nhân khác", "label_en": "Other"}]},
      {"name": "hardship_detail", "type": "long_text", "label_vi": "Mô tả hoàn cảnh", "label_en": "Describe the circumstances", "required": true, "max_length": 3000}
    ]'::jsonb,
    'xác nhận hộ nghèo, giấy chứng nhận hộ nghèo, hộ cận nghèo, sổ hộ nghèo, xin hộ nghèo, xét hộ nghèo, poor household'
);

-- Cấp Phiếu lý lịch tư pháp
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'LLTP-CAPPHIEU',
    'Cấp Phiếu lý lịch tư pháp',
    'Judicial record certificate',
    'Lý lịch tư pháp',
    'Judicial records',
    'Cấp Phiếu lý lịch tư pháp số 1 (cho cá nhân hoặc cơ quan, tổ chức; chỉ ghi án tích chưa được xóa) hoặc số 2 (chỉ cấp cho chính người đó hoặc cơ quan tiến hành tố tụng; ghi đầy đủ án tích) cho công dân Việt Nam và người nước ngoài đã cư trú tại Việt Nam. Từ 01/3/2025 việc cấp Phiếu do cơ quan Công an thực hiện (trước đây là Sở Tư pháp). Thời hạn không quá 10 ngày; không quá 15 ngày nếu phải xác minh.',
    'Issues judicial record certificate no. 1 (for the person or an organisation; shows only unexpunged convictions) or no. 2 (only for the person or criminal justice bodies; shows all convictions). Since 1 March 2025 certificates are issued by the police instead of the Department of Justice. At most 10 days, 15 if checks are needed.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; giấy tờ chứng minh thuộc diện giảm, miễn phí (thẻ sinh viên, giấy chứng nhận người có công…) nếu có; văn bản ủy quyền nếu nhờ người khác làm thủ tục xin Phiếu số 1 (Phiếu số 2 không được ủy quyền).',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; proof of fee reduction or exemption (student card, certificate of meritorious service…) if any; a power of attorney if someone applies for certificate no. 1 on your behalf (not allowed for no. 2).',
    'province',
    'Công an cấp tỉnh nơi thường trú hoặc tạm trú',
    'Provincial Police of the place of permanent or temporary residence',
    'full_online',
    200000,
    '200.000 đồng/lần; sinh viên, người có công với cách mạng, thân nhân liệt sĩ: 100.000 đồng/lần. Miễn cho trẻ em, người cao tuổi, người khuyết tật, người thuộc hộ nghèo, người cư trú tại xã đặc biệt khó khăn. Từ Phiếu thứ 3 trở đi trong cùng một lần yêu cầu: thêm 5.000 đồng/Phiếu. Có thể được giảm khi nộp trực tuyến theo quy định của Bộ Tài chính từng thời kỳ.',
    '200,000 VND per request; 100,000 VND for students, people with meritorious service and martyrs'' relatives. Free for children, older people, people with disabilities, poor households and residents of especially disadvantaged communes. From the third copy in one request: 5,000 VND more per copy. Online requests may be reduced under current Ministry of Finance rules.',
    10,
    '[
      "Luật Lý lịch tư pháp số 28/2009/QH12",
      "Nghị định số 111/2010/NĐ-CP ngày 23/11/2010 của Chính phủ quy định chi tiết và hướng dẫn thi hành một số điều của Luật Lý lịch tư pháp",
      "Thông tư số 244/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin lý lịch tư pháp",
      "Thông tư số 06/2024/TT-BTP ngày 19/6/2024 của Bộ trưởng Bộ Tư pháp sửa đổi, bổ sung một số điều của các Thông tư ban hành và hướng dẫn sử dụng biểu mẫu và mẫu sổ lý lịch tư pháp"
    ]'::jsonb,
    '[
      {"code": "GIAY_TO_MIEN_GIAM_PHI", "name_vi": "Giấy tờ chứng minh thuộc diện giảm, miễn phí (thẻ sinh viên, giấy chứng nhận người có công…), nếu có", "name_en": "Proof of fee reduction or exemption (student card, meritorious service certificate…), if any", "required": false, "photo_accepted": true},
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (chỉ với Phiếu số 1; không cần nếu người được ủy quyền là cha, mẹ, vợ, chồng, con của người yêu cầu)", "name_en": "Power of attorney (certificate no. 1 only; not needed when the representative is your parent, spouse or child)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "certificate_type", "type": "select", "label_vi": "Loại Phiếu", "label_en": "Certificate type", "required": true, "options": [{"value": "type_1", "label_vi": "Phiếu lý lịch tư pháp số 1", "label_en": "Certificate no. 1"}, {"value": "type_2", "label_vi": "Phiếu lý lịch tư pháp số 2", "label_en": "Certificate no. 2"}]},
      {"name": "purpose", "type": "text", "label_vi": "Mục đích sử dụng Phiếu", "label_en": "Purpose of the certificate", "required": true, "max_length": 200, "help_vi": "Ví dụ: bổ sung hồ sơ xin việc, xin thị thực…", "help_en": "For example a job application or a visa."},
      {"name": "copies", "type": "number", "label_vi": "Số lượng Phiếu đề nghị cấp", "label_en": "Number of certificates", "required": true, "integer": true, "min": 1, "max": 10},
      {"name": "request_ban_information", "type": "boolean", "label_vi": "Yêu cầu xác nhận nội dung cấm đảm nhiệm chức vụ, thành lập, quản lý doanh nghiệp, hợp tác xã (Phiếu số 1)", "label_en": "Include bans on holding office or managing enterprises and cooperatives (certificate no. 1)"},
      {"name": "other_names", "type": "text", "label_vi": "Họ tên gọi khác (nếu có)", "label_en": "Other names used (if any)", "max_length": 200},
      {"name": "father_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên của cha", "label_en": "Father''s full name", "max_length": 100},
      {"name": "mother_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên của mẹ", "label_en": "Mother''s full name", "max_length": 100},
      {"name": "spouse_full_name", "type": "text", "label_vi": "Họ, chữ đệm và tên của vợ/chồng (nếu có)", "label_en": "Spouse''s full name (if any)", "max_length": 100},
      {"name": "residence_history", "type": "long_text", "label_vi": "Quá trình cư trú từ khi đủ 14 tuổi", "label_en": "Places of residence since age 14", "required": true, "max_length": 3000, "help_vi": "Từ tháng, năm đến tháng, năm; nơi cư trú; mỗi giai đoạn một dòng.", "help_en": "From and to (month, year) and place, one period per line."},
      {"name": "delivery", "type": "select", "label_vi": "Nhận kết quả", "label_en": "How to receive it", "required": true, "options": [{"value": "counter", "label_vi": "Nhận trực tiếp tại nơi nộp", "label_en": "Collect in person"}, {"value": "post", "label_vi": "Qua dịch vụ bưu chính", "label_en": "By post"}, {"value": "electronic", "label_vi": "Bản điện tử trên ứng dụng VNeID (nếu hỗ trợ)", "label_en": "Electronic copy in the VNeID app (where available)"}]}
    ]'::jsonb,
    'lý lịch tư pháp, phiếu lý lịch tư pháp, lý lịch tư pháp số 1, lý lịch tư pháp số 2, xác nhận không tiền án, làm lý lịch tư pháp, criminal record, police check'
);

-- Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên
INSERT INTO procedures (code, name_vi, name_en, sector_vi, sector_en, summary_vi, summary_en, what_to_bring_vi, what_to_bring_en, agency_level, deciding_agency_vi, deciding_agency_en, service_level, fee_vnd, fee_note_vi, fee_note_en, processing_days, legal_basis, required_documents, form_fields, search_keywords)
VALUES (
    'DN-TNHH1TV',
    'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên',
    'Registration of a single-member limited liability company',
    'Thành lập và hoạt động doanh nghiệp',
    'Enterprise registration',
    'Đăng ký thành lập công ty TNHH một thành viên do một cá nhân hoặc một tổ chức làm chủ sở hữu. Phòng Đăng ký kinh doanh thuộc Sở Tài chính cấp Giấy chứng nhận đăng ký doanh nghiệp trong 03 ngày làm việc kể từ ngày nhận hồ sơ hợp lệ.',
    'Registers a single-member limited liability company owned by one individual or organisation. The Business Registration Office of the provincial Department of Finance issues the enterprise registration certificate within 3 working days of a valid file.',
    'Thẻ Căn cước hoặc thẻ Căn cước công dân còn giá trị, hoặc hộ chiếu, của người đi nộp hồ sơ; khi nộp trực tuyến dùng tài khoản định danh điện tử mức độ 2 hoặc chữ ký số; văn bản ủy quyền nếu nhờ người khác nộp.',
    'The applicant''s valid identity card (Căn cước / CCCD) or passport; online filing uses a level-2 electronic identity account or a digital signature; a power of attorney if someone files for you.',
    'province',
    'Phòng Đăng ký kinh doanh thuộc Sở Tài chính',
    'Business Registration Office, provincial Department of Finance',
    'full_online',
    150000,
    'Lệ phí đăng ký doanh nghiệp 50.000 đồng (miễn khi đăng ký qua mạng điện tử) và phí công bố nội dung đăng ký doanh nghiệp 100.000 đồng.',
    'Registration fee 50,000 VND (waived for online registration) plus a 100,000 VND fee for publishing the registration.',
    3,
    '[
      "Luật Doanh nghiệp số 59/2020/QH14 (được sửa đổi, bổ sung)",
      "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về đăng ký doanh nghiệp",
      "Thông tư số 47/2019/TT-BTC ngày 05/8/2019 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin doanh nghiệp, lệ phí đăng ký doanh nghiệp"
    ]'::jsonb,
    '[
      {"code": "DIEU_LE", "name_vi": "Điều lệ công ty", "name_en": "Company charter", "required": true, "photo_accepted": true},
      {"code": "GIAY_TO_TO_CHUC_CHU_SO_HUU", "name_vi": "Giấy tờ pháp lý của tổ chức và văn bản cử người đại diện theo ủy quyền (nếu chủ sở hữu là tổ chức)", "name_en": "Legal papers of the owning organisation and appointment of its representative (if the owner is an organisation)", "required": false, "photo_accepted": true},
      {"code": "CHU_SO_HUU_HUONG_LOI", "name_vi": "Thông tin về chủ sở hữu hưởng lợi của doanh nghiệp", "name_en": "Information on the company''s beneficial owners", "required": false, "photo_accepted": true},
      {"code": "VAN_BAN_UY_QUYEN", "name_vi": "Văn bản ủy quyền (nếu nhờ người khác nộp)", "name_en": "Power of attorney (if someone files for you)", "required": false, "photo_accepted": true}
    ]'::jsonb,
    '[
      {"name": "company_name_vi", "type": "text", "label_vi": "Tên công ty viết bằng tiếng Việt", "label_en": "Company name in Vietnamese", "required": true, "max_length": 200, "help_vi": "Gồm loại hình “Công ty trách nhiệm hữu hạn” và tên riêng.", "help_en": "“Công ty trách nhiệm hữu hạn” followed by the proper name."},
      {"name": "company_name_foreign", "type": "text", "label_vi": "Tên công ty viết bằng tiếng nước ngoài", "label_en": "Company name in a foreign language", "max_length": 200},
      {"name": "company_name_abbreviation", "type": "text", "label_vi": "Tên công ty viết tắt", "label_en": "Abbreviated name", "max_length": 100},
      {"name": "head_office", "type": "admin_unit", "label_vi": "Trụ sở chính (tỉnh, xã)", "label_en": "Head office (province, commune)", "required": true},
      {"name": "head_office_street", "type": "text", "label_vi": "Số nhà, đường phố, thôn, tổ dân phố", "label_en": "House number, street, village or residential group", "required": true, "max_length": 200},
      {"name": "head_office_phone", "type": "phone", "label_vi": "Số điện thoại công ty", "label_en": "Company phone"},
      {"name": "charter_capital_vnd", "type": "number", "label_vi": "Vốn điều lệ (đồng)", "label_en": "Charter capital (VND)", "required": true, "integer": true, "min": 1},
      {"name": "business_lines", "type": "long_text", "label_vi": "Ngành, nghề kinh doanh", "label_en": "Business lines", "required": true, "max_length": 4000, "help_vi": "Ghi mã ngành cấp 4 theo Hệ thống ngành kinh tế Việt Nam, mỗi ngành một dòng.", "help_en": "Level-4 codes of the Vietnamese industry classification, one per line."},
      {"name": "owner_type", "type": "select", "label_vi": "Chủ sở hữu", "label_en": "Owner", "required": true, "options": [{"value": "individual", "label_vi": "Cá nhân (chính người nộp hồ sơ)", "label_en": "An individual (you)"}, {"value": "organisation", "label_vi": "Tổ chức", "label_en": "An organisation"}]},
      {"name": "legal_representative_title", "type": "text", "label_vi": "Chức danh người đại diện theo pháp luật", "label_en": "Legal representative''s title", "required": true, "max_length": 100, "help_vi": "Ví dụ: Giám đốc, Chủ tịch công ty.", "help_en": "For example Director or Company President."}
    ]'::jsonb,
    'thành lập công ty, mở công ty, đăng ký doanh nghiệp, thành lập doanh nghiệp, công ty TNHH, giấy phép kinh doanh công ty, company registration'
);
