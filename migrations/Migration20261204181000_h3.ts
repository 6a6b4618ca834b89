import { Migration } from '@mikro-orm/migrations';

/**
 * A partner reference for every alert. The register reference (`GD-2026-000987`) is numbered
 * without gaps per agency and year, so a partner that saw it could count the originator's
 * alerts it was not given. Partners see `<agency>-<token>` instead: twelve Crockford base32
 * characters (60 random bits) drawn once per alert at insert, stored so that it is the same on
 * every read and for every partner, and unrelated to the register number.
 *
 * The bits come from gen_random_uuid(), built into PostgreSQL 13 and later and drawn from the
 * server's strong random source, so no extension (pgcrypto) is needed. Bytes 6 and 8 of a
 * version 4 UUID carry its version and variant: they are skipped, and the low five bits of the
 * twelve other bytes make the twelve characters.
 *
 * Adding the column with a volatile default draws the default once per existing row, which is
 * the backfill.
 */
export class Migration20261204181000_h3 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function hub_partner_token() returns text
      language sql volatile as $$
        select string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(u.b, i.n) % 32 + 1, 1), '' order by i.ord)
          from (select uuid_send(gen_random_uuid()) as b) u,
               unnest(array[0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 13]) with ordinality as i(n, ord)
      $$;`);
    this.addSql(`alter table "alert" add column "partner_token" varchar(12) not null default hub_partner_token();`);
    this.addSql(`alter table "alert" add constraint "alert_partner_token_unique" unique ("partner_token");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "alert" drop column if exists "partner_token";`);
    this.addSql(`drop function if exists hub_partner_token();`);
  }
}
