/** The version `ecrkit --version` and `docker-credential-ecrkit version` print. */
export const version = '0.1.0';
