// PostGraphile v5, Amber preset, on the bench database: the peer of bench/peer/run.py.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  // Every column orderable and filterable, not only indexed ones: the listings pages
  // order by (observed_at, id) and leave out excluded listings, as Stonks does.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.POOL_SIZE ?? 16) },
    }),
  ],
  grafserv: { port: Number(process.env.PORT ?? 5678), host: "127.0.0.1", graphiql: false },
  grafast: { explain: false },
};

export default preset;
