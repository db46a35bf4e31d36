import type pg from 'pg';

type Db = Pick<pg.Pool, 'query'>;

/** Every staff member's id and name, by name; names only, no e-mail addresses or roles. */
export const staffDirectory = async (
  db: Db,
): Promise<{ id: string; displayName: string; active: boolean }[]> => {
  const { rows } = await db.query<{ id: string; display_name: string; disabled: boolean }>(
    'SELECT id, display_name, disabled FROM staff_users ORDER BY display_name, id',
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, active: !r.disabled }));
};

/** How many enabled admins there are besides this staff member. */
export const enabledAdminsBesides = async (db: Db, staffId: string): Promise<number> => {
  const { rows } = await db.query<{ others: number }>(
    `SELECT count(*)::int AS others FROM staff_users WHERE 'admin' = ANY (roles) AND NOT disabled AND id <> $1`,
    [staffId],
  );
  return rows[0]!.others;
};
