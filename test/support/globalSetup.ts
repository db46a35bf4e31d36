// Replaced by the PostgreSQL test bootstrap (embedded server or DATABASE_URL).
export default async function setup(): Promise<void> {}
