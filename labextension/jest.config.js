/**
 * Unit tests: pure TypeScript modules, compiled by ts-jest, run in Node.
 * Modules that need a running JupyterLab are covered by the browser tests
 * in tests/browser/ at the repository root.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.spec.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }]
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json']
};
