import "next-auth";
import "next-auth/jwt";

// What our sessions carry. The token: who (`sub`, our users.id) and when they signed in
// (`authTime`, checked against users.sessions_valid_after on every request). The session
// handed to pages and the browser: the user id and nothing else.
declare module "next-auth" {
  interface Session {
    user: { id: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    authTime?: number;
  }
}
