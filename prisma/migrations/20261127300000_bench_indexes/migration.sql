-- Indexes for the registry and supervision at city scale (`npm run bench -- city-scale`).

-- A look-up by the applicant or the subject as a party of the record (`partyPins @> ARRAY[pin]`):
-- without it, every look-up not by reference scans the whole registry.
CREATE INDEX "CivilStatusRecord_partyPins_idx" ON "CivilStatusRecord" USING GIN ("partyPins");

-- An old record named by where it was registered, its book and page.
CREATE INDEX "CivilStatusRecord_registrationUnitCode_bookNumber_pageNumbe_idx" ON "CivilStatusRecord"("registrationUnitCode", "bookNumber", "pageNumber");
