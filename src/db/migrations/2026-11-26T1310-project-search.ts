import { sql, type Kysely } from 'kysely'
import { dialectOf } from '../schema-helpers.js'

// Frozen in time: imports nothing from features.
// SQLite only: a trigram full-text index over projects.search_text, so that the project list's
// "words in the title, problem or aim" (a substring search, LIKE '%word%') reads the index
// instead of every project. FTS5's trigram tokenizer answers LIKE itself, so the results are
// those of the plain LIKE. Kept in step by triggers; keyed by the project's id, not its rowid
// (a VACUUM may renumber the rowids of a table without an integer primary key).
// PostgreSQL scans its projects quickly enough at 10,000 and needs no extension for this.

export async function up(db: Kysely<any>): Promise<void> {
  if ((await dialectOf(db)) !== 'sqlite') return
  await sql`create virtual table projects_search using fts5(project_id unindexed, search_text, tokenize = 'trigram')`.execute(
    db,
  )
  await sql`insert into projects_search (project_id, search_text) select id, search_text from projects`.execute(
    db,
  )
  await sql`create trigger projects_search_insert after insert on projects begin
    insert into projects_search (project_id, search_text) values (new.id, new.search_text);
  end`.execute(db)
  await sql`create trigger projects_search_update after update of id, search_text on projects begin
    delete from projects_search where project_id = old.id;
    insert into projects_search (project_id, search_text) values (new.id, new.search_text);
  end`.execute(db)
  await sql`create trigger projects_search_delete after delete on projects begin
    delete from projects_search where project_id = old.id;
  end`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if ((await dialectOf(db)) !== 'sqlite') return
  await sql`drop trigger if exists projects_search_delete`.execute(db)
  await sql`drop trigger if exists projects_search_update`.execute(db)
  await sql`drop trigger if exists projects_search_insert`.execute(db)
  await sql`drop table if exists projects_search`.execute(db)
}
