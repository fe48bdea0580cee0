-- Saturdays that civil servants work to make up for a swapped day off (the swapped weekday is
-- in public_holidays). Deadlines count these as working days. Basis as noted in 0006.
CREATE TABLE working_weekend_days (
    day date PRIMARY KEY CHECK (extract(isodow FROM day) IN (6, 7)),
    replaces date NOT NULL REFERENCES public_holidays (day),
    note_vi text NOT NULL,
    note_en text NOT NULL
);

INSERT INTO working_weekend_days (day, replaces, note_vi, note_en) VALUES
('2025-04-26', '2025-05-02', 'Làm bù cho ngày nghỉ 2/5/2025', 'Make-up day for 2 May 2025'),
('2026-01-10', '2026-01-02', 'Làm bù cho ngày nghỉ 2/1/2026', 'Make-up day for 2 January 2026'),
('2026-08-22', '2026-08-31', 'Làm bù cho ngày nghỉ 31/8/2026', 'Make-up day for 31 August 2026');
