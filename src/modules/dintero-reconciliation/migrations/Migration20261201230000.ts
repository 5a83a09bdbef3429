import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201230000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "dintero_reconciliation_finding" ("id" text not null, "transaction_id" text not null, "provider_id" text not null, "payment_session_id" text not null, "dintero_session_id" text not null, "cart_id" text null, "order_id" text null, "kind" text not null, "reason" text not null, "transaction_status" text not null, "amount" integer not null, "currency_code" text not null, "authorized_at" timestamptz null, "void_after" timestamptz null, "voided_at" timestamptz null, "last_seen_at" timestamptz not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "dintero_reconciliation_finding_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_dintero_reconciliation_finding_deleted_at" ON "dintero_reconciliation_finding" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_dintero_reconciliation_finding_transaction_id_unique" ON "dintero_reconciliation_finding" ("transaction_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_dintero_reconciliation_finding_kind" ON "dintero_reconciliation_finding" ("kind") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "dintero_reconciliation_run" ("id" text not null, "trigger" text not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "sessions" integer not null default 0, "completed" integer not null default 0, "orphans" integer not null default 0, "voided" integer not null default 0, "errors" integer not null default 0, "cursor" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "dintero_reconciliation_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_dintero_reconciliation_run_deleted_at" ON "dintero_reconciliation_run" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "dintero_reconciliation_finding" cascade;`);
    this.addSql(`drop table if exists "dintero_reconciliation_run" cascade;`);
  }

}
