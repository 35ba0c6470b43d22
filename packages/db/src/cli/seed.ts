// Loads the demo company through the app role (DATABASE_URL).
import { createDatabase } from "../client.js";
import { databaseUrlsFromEnv } from "../config.js";
import { DEMO_PASSWORD, seedDemoData } from "../seed.js";

const db = createDatabase({ url: databaseUrlsFromEnv().app });
try {
  const { created } = await seedDemoData(db);
  console.log(created ? `Demo data loaded. Sign in as ada@acme.example / ${DEMO_PASSWORD}.` : "Demo data already present.");
} finally {
  await db.close();
}
