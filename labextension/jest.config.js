/**
 * Unit tests: TypeScript modules compiled by ts-jest, run in Node.
 * Modules that need a running JupyterLab are covered by the browser tests
 * in tests/browser/ at the repository root.
 *
 * JupyterLab's packages ship ES modules: they are transpiled to CommonJS for
 * Node (Lumino's ship UMD and need nothing).
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.spec.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
    '^.+\\.js$': [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2020' },
        isolatedModules: true
      }
    ]
  },
  transformIgnorePatterns: ['/node_modules/(?!@jupyterlab/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json']
};
