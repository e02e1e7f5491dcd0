import { PGlite } from '@electric-sql/pglite';
let t=Date.now(); const db = new PGlite(); await db.waitReady; console.log('pglite1', Date.now()-t);
t=Date.now(); const db2 = new PGlite(); await db2.waitReady; console.log('pglite2', Date.now()-t);
t=Date.now(); const dump = await db.dumpDataDir('none'); console.log('dump', Date.now()-t, dump.size);
t=Date.now(); const db3 = new PGlite({loadDataDir: dump}); await db3.waitReady; console.log('pglite3', Date.now()-t);
