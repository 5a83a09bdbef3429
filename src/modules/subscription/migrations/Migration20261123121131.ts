import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261123121131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "subscription_charge" drop constraint if exists "subscription_charge_merchant_reference_attempt_unique";`);
    this.addSql(`create table if not exists "subscription" ("id" text not null, "customer_id" text not null, "card_id" text not null, "status" text check ("status" in ('active', 'past_due', 'paused', 'canceled', 'expired')) not null default 'active', "currency_code" text not null, "items" jsonb not null, "interval" text check ("interval" in ('day', 'week', 'month', 'year')) not null, "interval_count" integer not null default 1, "anchor_day" integer not null, "current_period_start" timestamptz not null, "current_period_end" timestamptz not null, "next_charge_at" timestamptz null, "cancel_at_period_end" boolean not null default false, "expires_at" timestamptz null, "canceled_at" timestamptz null, "ended_at" timestamptz null, "paused_at" timestamptz null, "region_id" text not null, "sales_channel_id" text null, "email" text null, "shipping_address" jsonb null, "billing_address" jsonb null, "source_order_id" text null, "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "subscription_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_deleted_at" ON "subscription" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_customer_id" ON "subscription" ("customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_status_next_charge_at" ON "subscription" ("status", "next_charge_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_source_order_id" ON "subscription" ("source_order_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "subscription_charge" ("id" text not null, "subscription_id" text not null, "kind" text check ("kind" in ('renewal', 'proration')) not null default 'renewal', "period_start" timestamptz not null, "period_end" timestamptz not null, "merchant_reference" text not null, "attempt" integer not null, "status" text check ("status" in ('pending', 'unknown', 'succeeded', 'failed')) not null default 'pending', "amount" integer not null, "currency_code" text not null, "items" jsonb not null, "card_id" text not null, "payment_collection_id" text null, "payment_id" text null, "transaction_id" text null, "error_code" text null, "error_message" text null, "error_types" jsonb null, "retry_codes" jsonb null, "retry_after" timestamptz null, "next_retry_at" timestamptz null, "order_id" text null, "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "subscription_charge_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_charge_subscription_id" ON "subscription_charge" ("subscription_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_charge_deleted_at" ON "subscription_charge" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_subscription_charge_merchant_reference_attempt_unique" ON "subscription_charge" ("merchant_reference", "attempt") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_subscription_charge_subscription_id_period_start" ON "subscription_charge" ("subscription_id", "period_start") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "subscription_charge" add constraint "subscription_charge_subscription_id_foreign" foreign key ("subscription_id") references "subscription" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "subscription_charge" drop constraint if exists "subscription_charge_subscription_id_foreign";`);

    this.addSql(`drop table if exists "subscription" cascade;`);

    this.addSql(`drop table if exists "subscription_charge" cascade;`);
  }

}
