import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Plans (issue 10): trials (status `trialing`, `trial_end`), skipped periods, and item changes that bill
 * from the next period. The status check constraint gains `trialing`; existing rows keep their status.
 */
export class Migration20261206110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "subscription" drop constraint if exists "subscription_status_check";`)
    this.addSql(
      `alter table if exists "subscription" add constraint "subscription_status_check" check ("status" in ('trialing', 'active', 'past_due', 'paused', 'canceled', 'expired'));`
    )
    this.addSql(`alter table if exists "subscription" add column if not exists "trial_end" timestamptz null;`)
    this.addSql(`alter table if exists "subscription" add column if not exists "skipped_periods" jsonb null;`)
    this.addSql(`alter table if exists "subscription" add column if not exists "pending_items" jsonb null;`)
    this.addSql(`alter table if exists "subscription" add column if not exists "pending_items_from" timestamptz null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`update "subscription" set "status" = 'active' where "status" = 'trialing';`)
    this.addSql(`alter table if exists "subscription" drop constraint if exists "subscription_status_check";`)
    this.addSql(
      `alter table if exists "subscription" add constraint "subscription_status_check" check ("status" in ('active', 'past_due', 'paused', 'canceled', 'expired'));`
    )
    this.addSql(`alter table if exists "subscription" drop column if exists "trial_end";`)
    this.addSql(`alter table if exists "subscription" drop column if exists "skipped_periods";`)
    this.addSql(`alter table if exists "subscription" drop column if exists "pending_items";`)
    this.addSql(`alter table if exists "subscription" drop column if exists "pending_items_from";`)
  }
}
