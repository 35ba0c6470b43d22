/**
 * Keyset paging, written once: lists fetch `limit + 1` rows after the cursor (the last id of
 * the previous page, with `skip: 1`), and this turns them into a page and the next cursor.
 */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}

/** The Prisma arguments of a keyset page: one extra row to know whether another page follows. */
export function pageArgs(input: { cursor?: string | null; limit: number }) {
  return { take: input.limit + 1, ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}) };
}
