-- Staff sign-in failures are held back per (username, address) with growing delays instead of
-- locking the account: anyone could lock an officer out by typing their username five times,
-- and only real usernames ever locked, which told them apart from unknown ones.
-- The username is stored as a keyed hash (people sometimes type a password into that field),
-- and unknown usernames get rows too, so the answers cannot tell the two apart.
CREATE TABLE staff_login_throttle (
    username_hash text NOT NULL,
    client_ip text NOT NULL,
    -- Failures since the last successful sign-in from this address (or since the row was
    -- forgotten), and the delays imposed so far: the next one lasts 60 s x 2^delays, at most 900 s.
    failures integer NOT NULL CHECK (failures >= 0),
    delays integer NOT NULL CHECK (delays >= 0),
    blocked_until timestamptz NOT NULL,
    last_failure_at timestamptz NOT NULL,
    PRIMARY KEY (username_hash, client_ip)
);
-- For the purge of rows nobody has failed with for a day.
CREATE INDEX staff_login_throttle_last_failure_idx ON staff_login_throttle (last_failure_at);

ALTER TABLE staff DROP COLUMN failed_logins, DROP COLUMN locked_until;

-- A CCCD typed into a profile is only declared: anyone could declare someone else's number
-- first, and the owner then got 409 (which also told anyone that the number was registered).
-- Unverified profiles may now share a number; once an officer has checked the card (or, later,
-- the national population database has confirmed it), one profile holds it verified.
ALTER TABLE citizens DROP CONSTRAINT citizens_citizen_id_number_key;
ALTER TABLE citizens
    ADD COLUMN identity_verified_at timestamptz,
    ADD COLUMN identity_verified_by uuid REFERENCES staff (id),
    ADD COLUMN identity_verification_method text
        CONSTRAINT citizens_identity_verification_method_check
        CHECK (identity_verification_method IN ('counter', 'population_db')),
    ADD CONSTRAINT citizens_identity_verified_check CHECK (
        (identity_verified_at IS NULL) = (identity_verification_method IS NULL)
        AND (identity_verified_at IS NULL OR citizen_id_number IS NOT NULL)
        AND (identity_verification_method IS DISTINCT FROM 'counter'
             OR identity_verified_by IS NOT NULL)
    );
CREATE UNIQUE INDEX citizens_verified_citizen_id_key ON citizens (citizen_id_number)
    WHERE identity_verified_at IS NOT NULL;
CREATE INDEX citizens_citizen_id_number_idx ON citizens (citizen_id_number);
