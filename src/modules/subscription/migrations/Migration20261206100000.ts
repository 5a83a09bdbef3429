import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/** Cards saved without a purchase (card_setup) and card-update links for emails (card_update_link). */
export class Migration20261206100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "card_setup" ("id" text not null, "customer_id" text not null, "account_holder_id" text not null, "provider_id" text not null, "payment_product_type" text not null, "currency_code" text not null, "dintero_session_id" text null, "status" text check ("status" in ('open', 'completed', 'declined')) not null default 'open', "subscription_ids" jsonb not null, "all_subscriptions" boolean not null default false, "link_id" text null, "transaction_id" text null, "card_id" text null, "result" jsonb null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_setup_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_setup_deleted_at" ON "card_setup" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_setup_customer_id" ON "card_setup" ("customer_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_setup_link_id" ON "card_setup" ("link_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "card_update_link" ("id" text not null, "subscription_id" text not null, "customer_id" text not null, "token_hash" text not null, "expires_at" timestamptz not null, "consumed_at" timestamptz null, "consumed_by" text null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_update_link_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_update_link_deleted_at" ON "card_update_link" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_update_link_token_hash_unique" ON "card_update_link" ("token_hash") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_update_link_subscription_id" ON "card_update_link" ("subscription_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "card_setup" cascade;`);
    this.addSql(`drop table if exists "card_update_link" cascade;`);
  }

}
