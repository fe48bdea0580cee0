-- The language each account reads messages in (SMS, push, e-mail; the API's own errors follow
-- the request's Accept-Language). Vietnamese unless the person chose otherwise.
ALTER TABLE citizens
    ADD COLUMN language text NOT NULL DEFAULT 'vi'
        CONSTRAINT citizens_language_check CHECK (language IN ('vi', 'en'));

ALTER TABLE staff
    ADD COLUMN language text NOT NULL DEFAULT 'vi'
        CONSTRAINT staff_language_check CHECK (language IN ('vi', 'en'));
