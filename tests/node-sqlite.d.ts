// The part of Node's built-in SQLite (node:sqlite, Node 22.5+) the tests use to look
// inside GeoPackages; @types/node 20 does not describe it yet.
declare module 'node:sqlite' {
  export class DatabaseSync {
    constructor(path: string, options?: { readOnly?: boolean });
    prepare(sql: string): { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
    close(): void;
  }
}
