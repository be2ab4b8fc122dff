// Run in Deno by getimages-sigv4.test.ts, inside a project that has the built package installed:
// the package's GetImages endpoint (`createGetImagesApp`, SigV4 keys required) served with
// Deno.serve on 127.0.0.1, any free port. Its one argument is `{ "catalog", "keys" }` as JSON.
// Prints `{"url": …}` once listening; when its standard input closes, shuts the server down,
// prints `{"closed": true}` and ends by itself (the engine is not closed: Deno must still exit).
import { createGetImagesApp, KinesisVideoArchivedMedia } from 'stillframe';

const { catalog, keys } = JSON.parse(Deno.args[0]);
const kvam = new KinesisVideoArchivedMedia({ catalog });
const app = createGetImagesApp({ kvam, auth: { keys } });
const server = Deno.serve(
  { hostname: '127.0.0.1', port: 0, onListen: ({ hostname, port }) => console.log(JSON.stringify({ url: `http://${hostname}:${port}` })) },
  app.fetch,
);
for await (const _chunk of Deno.stdin.readable) {
  // Nothing is sent; the input closing is the cue to stop.
}
await server.shutdown();
console.log(JSON.stringify({ closed: true }));
