import { describe, expect, it } from "vitest";
import { databaseUrlsFromEnv, withDatabase } from "./config.js";

describe("database URLs from the environment", () => {
  it("derives the owner and admin URLs from DATABASE_URL's host and database", () => {
    const urls = databaseUrlsFromEnv({ DATABASE_URL: "postgresql://aihub_app:pw@db.internal:6543/prod" });
    expect(urls.app).toBe("postgresql://aihub_app:pw@db.internal:6543/prod");
    expect(urls.migration).toBe("postgresql://aihub_owner:aihub_owner@db.internal:6543/prod");
    expect(urls.admin).toBe("postgresql://postgres@db.internal:6543/postgres");
  });

  it("takes explicit migration and admin URLs as given", () => {
    const urls = databaseUrlsFromEnv({
      DATABASE_URL: "postgresql://a@h/d",
      MIGRATION_DATABASE_URL: "postgresql://o@h/d",
      DATABASE_ADMIN_URL: "postgresql://s@h/x",
    });
    expect(urls).toEqual({ app: "postgresql://a@h/d", migration: "postgresql://o@h/d", admin: "postgresql://s@h/x" });
  });

  it("points a URL at another database", () => {
    expect(withDatabase("postgresql://u:p@h:5432/one?sslmode=disable", "two")).toBe("postgresql://u:p@h:5432/two?sslmode=disable");
  });
});
