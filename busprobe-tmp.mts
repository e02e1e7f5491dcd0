import { Redis } from 'ioredis';
import { createRedisBus } from './server/src/bus/redis-bus.ts';
const admin = new Redis('redis://127.0.0.1:6379');
const b = await createRedisBus('redis://127.0.0.1:6379', { maxLen: 100, prefix: 'probe:' });
const t0 = Date.now();
const r = b.read('x', '0-0', { count: 1, blockMs: 5000 }).then((v) => console.log('resolved', v, Date.now() - t0), (e) => console.log('rejected', e.message, Date.now() - t0));
await new Promise((res) => setTimeout(res, 100));
const list = (await admin.client('LIST')) as string;
const line = list.split('\n').find((l) => l.includes('name=bus-blocking'))!;
console.log(line.slice(0, 60));
await admin.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]!);
await r;
// the pooled connection is reused after reconnecting
const r2 = b.read('x', '0-0', { count: 1, blockMs: 200 });
console.log('second read', await r2, Date.now() - t0);
await b.close(); await admin.quit();
