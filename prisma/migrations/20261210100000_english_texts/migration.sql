-- Texts the engine writes for people come in two languages: a history line's note keeps its
-- Vietnamese in "note" (what everyone reads by default) and its English in "noteEn", for a reader
-- who asks for English. Lines written before, and a person's own words, have "note" only.
ALTER TABLE "DossierEvent" ADD COLUMN "noteEn" TEXT;

-- A violation's name in English, for the notice mailed to an owner who reads English; without it
-- the Vietnamese description is used.
ALTER TABLE "ViolationCode" ADD COLUMN "descriptionEn" TEXT;

-- AddData
UPDATE "ViolationCode" AS v SET "descriptionEn" = e.name
FROM (VALUES
    ('RED-LIGHT-CAR', 'Car failing to obey a traffic light'),
    ('RED-LIGHT-MOTORBIKE', 'Motorbike or moped failing to obey a traffic light'),
    ('SPEED-05-10-CAR', 'Car exceeding the speed limit by 5 to under 10 km/h'),
    ('SPEED-10-20-CAR', 'Car exceeding the speed limit by 10 to 20 km/h'),
    ('SPEED-20-35-CAR', 'Car exceeding the speed limit by over 20 up to 35 km/h'),
    ('SPEED-10-20-MOTORBIKE', 'Motorbike or moped exceeding the speed limit by 10 to 20 km/h'),
    ('WRONG-LANE-CAR', 'Car driving outside its part of the road or lane'),
    ('WRONG-LANE-MOTORBIKE', 'Motorbike or moped driving outside its part of the road or lane'),
    ('NO-HELMET-MOTORBIKE', 'Motorbike or moped rider not wearing a helmet'),
    ('NO-STOPPING-CAR', 'Car stopping or parking where a sign forbids it')
) AS e(code, name)
WHERE v."code" = e.code AND v."descriptionEn" IS NULL;
