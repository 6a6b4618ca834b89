import { Migration } from '@mikro-orm/migrations';

/**
 * Full-text search over alerts, kept by the database, and the indexes the list filters and
 * orders need.
 *
 * Why `simple` plus CJK n-grams: PostgreSQL's parsers split words on spaces and punctuation,
 * which Chinese does not have, so a Chinese title would be one long "word" that no search
 * matches. Rather than rely on a locale-dependent parser or a trigram extension, the search
 * vector holds the `simple` words (lower-cased, not stemmed: English stems would not help
 * names, marks and codes) plus every single CJK character and every pair of adjacent ones
 * (the bigram approach of CJK search engines). A Chinese query becomes its bigrams, all of
 * which must be present: a close approximation of "contains this phrase".
 */
export class Migration20261128200249 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function hub_cjk_terms(doc text) returns text[]
      language plpgsql immutable parallel safe as $$
      declare
        run text;
        terms text[] := '{}';
        i int;
      begin
        for run in select m[1] from regexp_matches(coalesce(doc, ''), '([\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]+)', 'g') as m loop
          for i in 1 .. char_length(run) loop
            terms := terms || substr(run, i, 1);
            if i < char_length(run) then
              terms := terms || substr(run, i, 2);
            end if;
          end loop;
        end loop;
        return terms;
      end $$;`);

    this.addSql(`
      create or replace function hub_alert_search_vector(p_title text, p_summary text, p_goods text) returns tsvector
      language sql immutable parallel safe as $$
        select setweight(to_tsvector('simple', coalesce(p_title, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(p_summary, '')), 'B')
            || setweight(to_tsvector('simple', coalesce(p_goods, '')), 'C')
            || array_to_tsvector(hub_cjk_terms(concat_ws(' ', p_title, p_summary, p_goods)))
      $$;`);

    this.addSql(`alter table alert add column search_vector tsvector not null default ''::tsvector;`);

    // The alert's own row: on insert, and when its title or summary changes.
    this.addSql(`
      create or replace function hub_alert_search_row() returns trigger
      language plpgsql as $$
      begin
        new.search_vector := hub_alert_search_vector(new.title, new.summary,
          (select string_agg(g.description, ' ' order by g.position) from alert_goods_line g where g.alert_id = new.id));
        return new;
      end $$;`);
    this.addSql(`create trigger alert_search_row before insert or update of title, summary on alert for each row execute function hub_alert_search_row();`);

    // Goods lines: once per statement for all the alerts it touched, so bulk loads stay fast.
    this.addSql(`
      create or replace function hub_alert_search_goods() returns trigger
      language plpgsql as $$
      begin
        update alert a
           set search_vector = hub_alert_search_vector(a.title, a.summary,
             (select string_agg(g.description, ' ' order by g.position) from alert_goods_line g where g.alert_id = a.id))
         where a.id in (select distinct c.alert_id from changed c);
        return null;
      end $$;`);
    this.addSql(`create trigger alert_goods_search_insert after insert on alert_goods_line referencing new table as changed for each statement execute function hub_alert_search_goods();`);
    this.addSql(`create trigger alert_goods_search_update after update on alert_goods_line referencing new table as changed for each statement execute function hub_alert_search_goods();`);
    this.addSql(`create trigger alert_goods_search_delete after delete on alert_goods_line referencing old table as changed for each statement execute function hub_alert_search_goods();`);

    this.addSql(`create index alert_search_idx on alert using gin (search_vector);`);

    // Filters.
    this.addSql(`create index alert_container_numbers_idx on alert using gin (container_numbers);`);
    this.addSql(`create index alert_port_of_loading_idx on alert (port_of_loading);`);
    this.addSql(`create index alert_port_of_discharge_idx on alert (port_of_discharge);`);
    this.addSql(`create index alert_goods_line_category_idx on alert_goods_line (category, alert_id);`);
    this.addSql(`create index rights_holder_name_prefix_idx on rights_holder (lower(name) text_pattern_ops);`);
    this.addSql(`create index ipr_recordation_number_prefix_idx on ipr_recordation (recordation_number text_pattern_ops);`);

    // Keyset orders: the same expressions as src/alerts/alert.service.ts ORDER_KEYS.
    this.addSql(`drop index if exists alert_published_at_idx;`);
    this.addSql(`create index alert_order_published_idx on alert ((coalesce(published_at, '-infinity'::timestamptz)), id);`);
    this.addSql(`create index alert_order_updated_idx on alert (updated_at, id);`);
    this.addSql(`create index alert_order_risk_idx on alert ((array_position(array['LOW','MEDIUM','HIGH','CRITICAL']::text[], risk_level::text)), id);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists alert_order_risk_idx;`);
    this.addSql(`drop index if exists alert_order_updated_idx;`);
    this.addSql(`drop index if exists alert_order_published_idx;`);
    this.addSql(`create index alert_published_at_idx on alert (published_at, id);`);
    this.addSql(`drop index if exists ipr_recordation_number_prefix_idx;`);
    this.addSql(`drop index if exists rights_holder_name_prefix_idx;`);
    this.addSql(`drop index if exists alert_goods_line_category_idx;`);
    this.addSql(`drop index if exists alert_port_of_discharge_idx;`);
    this.addSql(`drop index if exists alert_port_of_loading_idx;`);
    this.addSql(`drop index if exists alert_container_numbers_idx;`);
    this.addSql(`drop trigger if exists alert_goods_search_delete on alert_goods_line;`);
    this.addSql(`drop trigger if exists alert_goods_search_update on alert_goods_line;`);
    this.addSql(`drop trigger if exists alert_goods_search_insert on alert_goods_line;`);
    this.addSql(`drop trigger if exists alert_search_row on alert;`);
    this.addSql(`drop function if exists hub_alert_search_goods();`);
    this.addSql(`drop function if exists hub_alert_search_row();`);
    this.addSql(`alter table alert drop column if exists search_vector;`);
    this.addSql(`drop function if exists hub_alert_search_vector(text, text, text);`);
    this.addSql(`drop function if exists hub_cjk_terms(text);`);
  }
}
