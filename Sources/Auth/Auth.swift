// Auth: JWT verification (see the Auth files).
