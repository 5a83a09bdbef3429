import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201194651 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "dintero_card_credential" ("id" text not null, "account_holder_id" text not null, "sealed_tokens" text not null, "payment_token_id" text null, "recurrence_token_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "dintero_card_credential_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_dintero_card_credential_deleted_at" ON "dintero_card_credential" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_dintero_card_credential_account_holder_id" ON "dintero_card_credential" ("account_holder_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_dintero_card_credential_account_holder_id_payment_token_id" ON "dintero_card_credential" ("account_holder_id", "payment_token_id") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "dintero_card_credential" cascade;`);
  }

}
