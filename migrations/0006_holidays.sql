-- Public holidays (days off) for 2025-2027, used to count processing time in working days.
--
-- Basis:
--   * Bộ luật Lao động 2019 (Labour Code 2019), Điều 112 khoản 1: Tết Dương lịch 1 day (1/1);
--     Tết Âm lịch 5 days; Ngày Chiến thắng 1 day (30/4); Ngày Quốc tế lao động 1 day (1/5);
--     Quốc khánh 2 days (2/9 and the day before or after); Giỗ Tổ Hùng Vương 1 day (10/3 lunar).
--   * Điều 112 khoản 3: a holiday that falls on the weekly rest day is compensated on the next
--     working day(s).
--   * The Prime Minister decides each year which days make up the Tết break and the National Day
--     pair, and may swap a working day with a Saturday for civil servants (cán bộ, công chức,
--     viên chức). This table follows the public-sector schedule, because processing-time limits
--     of administrative procedures run on the agencies' working days.
--
-- Lunar dates (Vietnamese calendar, UTC+7): mùng 1 Tết = 2025-01-29, 2026-02-17, 2027-02-06;
-- 10/3 lunar = 2025-04-07, 2026-04-26, 2027-04-16. In all three years the 12th lunar month has
-- 29 days, so giao thừa is the 29th (2025-01-28, 2026-02-16, 2027-02-05).
--
-- Swapped Saturdays that become WORKING days for civil servants cannot be stored in this table:
-- 2025-04-26 (for 2025-05-02), 2026-01-10 (for 2026-01-02), 2026-08-22 (for 2026-08-31).
-- WorkingCalendar(..., working_weekend_days=...) accepts them if a table is added for them.
--
-- Weekend days inside a break are listed too where the decision names them as part of the break
-- (Tết) or where a holiday itself falls on a weekend; they are harmless for working-day counts.

INSERT INTO public_holidays (day, name_vi, name_en) VALUES
-- ===== 2025 =====
-- Tết Dương lịch: Wednesday.
('2025-01-01', 'Tết Dương lịch', 'New Year''s Day'),
-- Tết Ất Tỵ: decided break Sat 25/1 (26 tháng Chạp) to Sun 2/2/2025 (mùng 5),
-- Thông báo 6150/TB-BLĐTBXH (2024); the five weekdays 27-31/1 are the 5 statutory days.
('2025-01-25', 'Nghỉ Tết Nguyên đán (26 tháng Chạp)', 'Lunar New Year (Tết) break'),
('2025-01-26', 'Nghỉ Tết Nguyên đán (27 tháng Chạp)', 'Lunar New Year (Tết) break'),
('2025-01-27', 'Tết Nguyên đán (28 tháng Chạp)', 'Lunar New Year (Tết)'),
('2025-01-28', 'Tết Nguyên đán (giao thừa, 29 tháng Chạp)', 'Lunar New Year''s Eve (Tết)'),
('2025-01-29', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year''s Day (Tết)'),
('2025-01-30', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết), 2nd day'),
('2025-01-31', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết), 3rd day'),
('2025-02-01', 'Nghỉ Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết) break'),
('2025-02-02', 'Nghỉ Tết Nguyên đán (mùng 5)', 'Lunar New Year (Tết) break'),
-- Giỗ Tổ Hùng Vương 10/3 Ất Tỵ: Monday.
('2025-04-07', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day'),
-- 30/4 (Wed) and 1/5 (Thu); Friday 2/5 swapped with Saturday 26/4/2025 (approved by the
-- Prime Minister in spring 2025), so civil servants were off 30/4-4/5/2025.
('2025-04-30', 'Ngày Chiến thắng (30/4)', 'Reunification Day'),
('2025-05-01', 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day'),
('2025-05-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)',
    'Swapped day off (made up on Saturday 26 April 2025)'),
-- Quốc khánh: Mon 1/9 and Tue 2/9 (break Sat 30/8 - Tue 2/9/2025), Thông báo 6150/TB-BLĐTBXH.
('2025-09-01', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)'),
('2025-09-02', 'Quốc khánh (2/9)', 'National Day'),

-- ===== 2026 =====
-- Tết Dương lịch: Thursday 1/1; Friday 2/1 swapped with Saturday 10/1/2026
-- (Công văn 12729/VPCP-KGVX, 25/12/2025): break Thu 1/1 - Sun 4/1/2026.
('2026-01-01', 'Tết Dương lịch', 'New Year''s Day'),
('2026-01-02', 'Nghỉ hoán đổi (làm bù thứ Bảy 10/1/2026)',
    'Swapped day off (made up on Saturday 10 January 2026)'),
-- Tết Bính Ngọ: decided break Sat 14/2 (27 tháng Chạp) to Sun 22/2/2026 (mùng 6), as announced
-- by the Government Office in October 2025 on the Ministry of Home Affairs' proposal;
-- the five weekdays 16-20/2 are the 5 statutory days.
('2026-02-14', 'Nghỉ Tết Nguyên đán (27 tháng Chạp)', 'Lunar New Year (Tết) break'),
('2026-02-15', 'Nghỉ Tết Nguyên đán (28 tháng Chạp)', 'Lunar New Year (Tết) break'),
('2026-02-16', 'Tết Nguyên đán (giao thừa, 29 tháng Chạp)', 'Lunar New Year''s Eve (Tết)'),
('2026-02-17', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year''s Day (Tết)'),
('2026-02-18', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết), 2nd day'),
('2026-02-19', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết), 3rd day'),
('2026-02-20', 'Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết), 4th day'),
('2026-02-21', 'Nghỉ Tết Nguyên đán (mùng 5)', 'Lunar New Year (Tết) break'),
('2026-02-22', 'Nghỉ Tết Nguyên đán (mùng 6)', 'Lunar New Year (Tết) break'),
-- Giỗ Tổ Hùng Vương 10/3 Bính Ngọ falls on Sunday 26/4 -> compensatory day Monday 27/4
-- (Điều 112 khoản 3).
('2026-04-26', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day'),
('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương', 'Hùng Kings'' Commemoration Day (compensatory)'),
-- 30/4 (Thu) and 1/5 (Fri): break Thu 30/4 - Sun 3/5/2026, no swap.
('2026-04-30', 'Ngày Chiến thắng (30/4)', 'Reunification Day'),
('2026-05-01', 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day'),
-- Quốc khánh: Tue 1/9 and Wed 2/9; Monday 31/8 swapped with Saturday 22/8/2026
-- (announced with the Tết 2026 schedule, October 2025): break Sat 29/8 - Wed 2/9/2026.
('2026-08-31', 'Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)',
    'Swapped day off (made up on Saturday 22 August 2026)'),
('2026-09-01', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)'),
('2026-09-02', 'Quốc khánh (2/9)', 'National Day'),
-- Ngày Văn hóa Việt Nam 24/11 (Tuesday): chosen as a paid day off by Nghị quyết 80-NQ/TW
-- (Politburo, January 2026); Nghị quyết 30/NQ-CP (2026) tasks amending Điều 112 khoản 1.
-- VERIFY that the amendment is in force before relying on this row (and the 2027 one).
('2026-11-24', 'Ngày Văn hóa Việt Nam (24/11)', 'Vietnam Culture Day'),

-- ===== 2027 (PROVISIONAL: the Prime Minister's decisions for 2027 were not known when this was
-- written; statutory days + Điều 112 khoản 3 compensation, Tết laid out as in 2024, when
-- mùng 1 was also a Saturday. Review when the 2027 schedule is announced.) =====
-- Tết Dương lịch: Friday.
('2027-01-01', 'Tết Dương lịch', 'New Year''s Day'),
-- Tết Đinh Mùi: mùng 1 is Saturday 6/2. Break Thu 4/2 (28 tháng Chạp) - Wed 10/2 (mùng 5):
-- 5 statutory days, two of them on the weekend, compensated on the following working days.
('2027-02-04', 'Tết Nguyên đán (28 tháng Chạp)', 'Lunar New Year (Tết)'),
('2027-02-05', 'Tết Nguyên đán (giao thừa, 29 tháng Chạp)', 'Lunar New Year''s Eve (Tết)'),
('2027-02-06', 'Tết Nguyên đán (mùng 1)', 'Lunar New Year''s Day (Tết)'),
('2027-02-07', 'Tết Nguyên đán (mùng 2)', 'Lunar New Year (Tết), 2nd day'),
('2027-02-08', 'Tết Nguyên đán (mùng 3)', 'Lunar New Year (Tết), 3rd day'),
('2027-02-09', 'Nghỉ bù Tết Nguyên đán (mùng 4)', 'Lunar New Year (Tết), compensatory day'),
('2027-02-10', 'Nghỉ bù Tết Nguyên đán (mùng 5)', 'Lunar New Year (Tết), compensatory day'),
-- Giỗ Tổ Hùng Vương 10/3 Đinh Mùi: Friday.
('2027-04-16', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', 'Hùng Kings'' Commemoration Day'),
-- 30/4 (Fri); 1/5 falls on Saturday -> compensatory day Monday 3/5 (Điều 112 khoản 3).
('2027-04-30', 'Ngày Chiến thắng (30/4)', 'Reunification Day'),
('2027-05-01', 'Ngày Quốc tế Lao động (1/5)', 'International Labour Day'),
('2027-05-03', 'Nghỉ bù Ngày Quốc tế Lao động', 'International Labour Day (compensatory)'),
-- Quốc khánh: Thu 2/9 and, as the adjacent day, Fri 3/9 (assumed; gives Thu 2/9 - Sun 5/9).
('2027-09-02', 'Quốc khánh (2/9)', 'National Day'),
('2027-09-03', 'Quốc khánh (ngày liền kề)', 'National Day (adjacent day)'),
-- Ngày Văn hóa Việt Nam 24/11 (Wednesday): see the 2026 row.
('2027-11-24', 'Ngày Văn hóa Việt Nam (24/11)', 'Vietnam Culture Day')
ON CONFLICT (day) DO NOTHING;
