// GitLab's CI schema as gitlab-ci-local ships it (the package has no declarations for this file).
declare module 'gitlab-ci-local/src/schema/schema.js' {
  export const schema: object;
}
