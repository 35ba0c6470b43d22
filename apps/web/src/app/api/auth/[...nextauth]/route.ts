import NextAuth from "next-auth";
import { authOptions } from "@/server/auth";

// Sessions are read from the request's cookies and the database: never cached, always Node.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const handler = NextAuth(authOptions);

export { handler as GET, handler as POST };
