-- AlterTable
ALTER TABLE "DossierEvent" ADD COLUMN     "unitCode" TEXT;

-- The dossier's history is an audit trail: rows are only ever added. Any UPDATE or DELETE by the
-- application's role (or anyone without the privilege to disable triggers) fails.
CREATE FUNCTION "dossier_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'DossierEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "DossierEvent_append_only"
  BEFORE UPDATE OR DELETE ON "DossierEvent"
  FOR EACH ROW EXECUTE FUNCTION "dossier_event_append_only"();

CREATE TRIGGER "DossierEvent_no_truncate"
  BEFORE TRUNCATE ON "DossierEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "dossier_event_append_only"();
