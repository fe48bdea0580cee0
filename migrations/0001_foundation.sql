-- Foundation: extensions, accent-insensitive search helper, a server-wide change sequence,
-- and Vietnam's two-tier administrative units (in force from 1 July 2025).

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- unaccent() is only STABLE; an IMMUTABLE wrapper with the dictionary named explicitly
-- lets indexes and generated columns use it. 'đ' is not a combining accent, so map it too.
CREATE FUNCTION fold_vi(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN lower(translate(public.unaccent('public.unaccent'::regdictionary, input), 'đĐ', 'dD'));

-- Every row a device may need to pull carries a value from this one sequence, bumped on change.
CREATE SEQUENCE change_seq;

CREATE FUNCTION bump_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('change_seq');
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE provinces (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name_vi text NOT NULL,
    name_en text NOT NULL,
    full_name_vi text NOT NULL,
    full_name_en text NOT NULL,
    code_name text NOT NULL
);

CREATE TABLE communes (
    code text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
    province_code text NOT NULL REFERENCES provinces (code),
    name_vi text NOT NULL,
    name_en text NOT NULL,
    full_name_vi text NOT NULL,
    full_name_en text NOT NULL,
    code_name text NOT NULL
);
CREATE INDEX communes_province_idx ON communes (province_code, code);
