import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../bench/profile-top.js', import.meta.url));
const frame = (id: number, functionName: string, url = '') => ({
  id,
  callFrame: { functionName, url, lineNumber: id },
});

describe('profile-top', () => {
  it('sums self time per function over every profile in a folder, idle left out of busy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-profile-'));
    try {
      const profile = {
        nodes: [
          frame(1, '(root)'),
          frame(2, 'writev'),
          frame(3, '(idle)'),
          frame(4, 'fanOut', 'file:///x/hub.js'),
        ],
        // writev 3 x 1 ms, idle 2 ms, fanOut 1 ms per profile.
        samples: [2, 2, 3, 4, 2, 3],
        timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
      };
      writeFileSync(join(dir, 'a.cpuprofile'), JSON.stringify(profile));
      writeFileSync(join(dir, 'b.cpuprofile'), JSON.stringify(profile));
      const out = execFileSync(process.execPath, [SCRIPT, dir, '--top', '3'], { encoding: 'utf8' });
      const lines = out.trim().split('\n');
      assert.match(lines[0]!, /^2 profile\(s\), 12 ms sampled, 8 ms busy$/);
      assert.match(lines[2]!, /^\s+6\.0\s+50\.0%\s+75\.0%\s+writev$/);
      assert.match(lines[3]!, /^\s+4\.0\s+33\.3%\s+-\s+\(idle\)$/);
      assert.match(lines[4]!, /^\s+2\.0\s+16\.7%\s+25\.0%\s+fanOut \/x\/hub\.js:5$/);
      assert.equal(lines.length, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
