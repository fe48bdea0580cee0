-- Organisation (agencies own units), citizens, staff, sign-in, and the procedure catalogue.

-- An agency is the legal body (a commune People's Committee, a provincial People's Committee);
-- a unit is where applications are received and processed. Receipt codes start with the unit code.
CREATE TABLE agencies (
    code text PRIMARY KEY,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    level text NOT NULL CHECK (level IN ('commune', 'province')),
    province_code text NOT NULL REFERENCES provinces (code)
);

CREATE TABLE units (
    code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{3,10}$'),
    agency_code text NOT NULL REFERENCES agencies (code),
    level text NOT NULL CHECK (level IN ('commune', 'province')),
    province_code text NOT NULL REFERENCES provinces (code),
    commune_code text UNIQUE REFERENCES communes (code),
    name_vi text NOT NULL,
    name_en text NOT NULL,
    CHECK ((level = 'commune') = (commune_code IS NOT NULL))
);
CREATE INDEX units_agency_idx ON units (agency_code);

-- Every commune's People's Committee receives applications at its one-stop section,
-- coded by the commune's GSO code; every province has a public administration service centre.
INSERT INTO agencies (code, name_vi, name_en, level, province_code)
SELECT 'UBX' || c.code, 'Ủy ban nhân dân ' || c.full_name_vi, 'People''s Committee of ' || c.full_name_en,
       'commune', c.province_code
FROM communes c;

INSERT INTO units (code, agency_code, level, province_code, commune_code, name_vi, name_en)
SELECT c.code, 'UBX' || c.code, 'commune', c.province_code, c.code,
       'Bộ phận Một cửa ' || c.full_name_vi, 'One-stop section, ' || c.full_name_en
FROM communes c;

INSERT INTO agencies (code, name_vi, name_en, level, province_code)
SELECT 'UBT' || p.code, 'Ủy ban nhân dân ' || p.full_name_vi, 'People''s Committee of ' || p.full_name_en,
       'province', p.code
FROM provinces p;

INSERT INTO units (code, agency_code, level, province_code, commune_code, name_vi, name_en)
SELECT 'P' || p.code, 'UBT' || p.code, 'province', p.code, NULL,
       'Trung tâm Phục vụ hành chính công ' || p.full_name_vi,
       'Public Administration Service Centre, ' || p.full_name_en
FROM provinces p;

CREATE TABLE citizens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    phone text NOT NULL UNIQUE CHECK (phone ~ '^0[0-9]{9}$'),
    full_name text,
    date_of_birth date,
    gender text CHECK (gender IN ('male', 'female')),
    citizen_id_number text UNIQUE CHECK (citizen_id_number ~ '^[0-9]{12}$'),
    province_code text REFERENCES provinces (code),
    commune_code text REFERENCES communes (code),
    street text,
    email text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL DEFAULT nextval('change_seq')
);
CREATE TRIGGER citizens_changed BEFORE UPDATE ON citizens
    FOR EACH ROW EXECUTE FUNCTION bump_change_seq();

CREATE TABLE staff (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    password_hash text NOT NULL,
    full_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('officer', 'agency_admin', 'system_admin')),
    unit_code text REFERENCES units (code),
    agency_code text REFERENCES agencies (code),
    active boolean NOT NULL DEFAULT true,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    change_seq bigint NOT NULL DEFAULT nextval('change_seq'),
    CHECK (role <> 'officer' OR unit_code IS NOT NULL),
    CHECK (role <> 'agency_admin' OR agency_code IS NOT NULL)
);
CREATE TRIGGER staff_changed BEFORE UPDATE ON staff
    FOR EACH ROW EXECUTE FUNCTION bump_change_seq();

-- One-time codes sent by SMS; only a hash of the code is kept.
CREATE TABLE otp_challenges (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    phone text NOT NULL,
    code_hash text NOT NULL,
    requested_ip text NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    consumed_at timestamptz,
    voided_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX otp_challenges_phone_idx ON otp_challenges (phone, created_at DESC);

-- A session is one sign-in; its refresh tokens form a rotation family.
CREATE TABLE auth_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    citizen_id uuid REFERENCES citizens (id),
    staff_id uuid REFERENCES staff (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text,
    CHECK ((citizen_id IS NULL) <> (staff_id IS NULL))
);

CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES auth_sessions (id),
    issued_at timestamptz NOT NULL DEFAULT now(),
    used_at timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

CREATE TABLE procedures (
    code text PRIMARY KEY,
    name_vi text NOT NULL,
    name_en text NOT NULL,
    sector_vi text NOT NULL,
    sector_en text NOT NULL,
    summary_vi text NOT NULL,
    summary_en text NOT NULL,
    what_to_bring_vi text NOT NULL,
    what_to_bring_en text NOT NULL,
    agency_level text NOT NULL CHECK (agency_level IN ('commune', 'province')),
    deciding_agency_vi text NOT NULL,
    deciding_agency_en text NOT NULL,
    service_level text NOT NULL CHECK (service_level IN ('info', 'partial_online', 'full_online')),
    fee_vnd integer NOT NULL CHECK (fee_vnd >= 0),
    fee_note_vi text NOT NULL DEFAULT '',
    fee_note_en text NOT NULL DEFAULT '',
    processing_days integer NOT NULL CHECK (processing_days >= 1),
    legal_basis jsonb NOT NULL,
    required_documents jsonb NOT NULL,
    form_fields jsonb NOT NULL,
    search_keywords text NOT NULL DEFAULT '',
    active boolean NOT NULL DEFAULT true,
    -- Accent- and case-folded text for search ("dang ky khai sinh" finds "Đăng ký khai sinh").
    search_name text GENERATED ALWAYS AS (fold_vi(name_vi)) STORED,
    search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', fold_vi(name_vi)), 'A')
        || setweight(to_tsvector('simple', fold_vi(search_keywords) || ' ' || lower(name_en)), 'B')
        || setweight(to_tsvector('simple', fold_vi(sector_vi) || ' ' || fold_vi(summary_vi)), 'C')
    ) STORED
);
CREATE INDEX procedures_search_idx ON procedures USING gin (search_document);
CREATE INDEX procedures_name_trgm_idx ON procedures USING gin (search_name gin_trgm_ops);
