-- AlterTable
ALTER TABLE "DossierEvent" ADD COLUMN     "unitCode" TEXT;

-- The dossier's history is an audit trail: rows are only ever added. Any UPDATE or DELETE by the
-- application's role (or anyone without the privilege to disable triggers) fails. The function
-- serves every append-only table.
CREATE FUNCTION "append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "DossierEvent_append_only"
  BEFORE UPDATE OR DELETE ON "DossierEvent"
  FOR EACH ROW EXECUTE FUNCTION "append_only"();

CREATE TRIGGER "DossierEvent_no_truncate"
  BEFORE TRUNCATE ON "DossierEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "append_only"();
