// drizzle-kit writes migrations.js without types; this is its shape (see drizzle-orm/durable-sqlite/migrator).
declare const migrations: {
  journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };
  migrations: Record<string, string>;
};
export default migrations;
