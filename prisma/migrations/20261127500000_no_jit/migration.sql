-- The engine's queries are short lookups and listings. At city scale PostgreSQL misestimates some
-- of them (an array containment over millions of distinct ID numbers is guessed at 0.5% of the
-- registry), and above jit_above_cost it then compiles the query with LLVM first: ~5 ms spent on a
-- lookup that reads four pages (EXPLAIN in `npm run bench -- city-scale`). New sessions of this
-- database run without JIT; nothing in the schema changes. A role that does not own the database
-- may not change its settings: the migration then leaves it to the operator (postgresql.conf).
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'jit left as it is: only the owner of database % may turn it off', current_database();
END
$$;
