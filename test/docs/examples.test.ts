import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeAll } from '../support/events';
import { check, fill, loadStories, runStory } from '../../scripts/example-stories';
import { EXAMPLES_DIR, exampleClient } from '../support/examples';
import { startTestHub, type TestHub } from '../support/hub';

/*
 * The worked examples of docs/examples/ are run as written: every file of every role's story,
 * in order, as the agency and roles its header names, on a hub of its own (a story must not
 * lean on another's agreements or events). A file the runner does not understand fails here
 * rather than being skipped, so an example cannot silently stop being true.
 */

const stories = loadStories(EXAMPLES_DIR);

describe('worked examples (docs/examples)', () => {
  it('has a story for every role, and runs every file in it', () => {
    expect(stories.map((s) => s.role)).toEqual(expect.arrayContaining(['administrator', 'analyst', 'coordinator', 'subscriber']));
    for (const s of stories) {
      const files = readdirSync(s.dir).filter((f) => f.endsWith('.graphql'));
      expect(s.steps.map((x) => x.file)).toEqual(files.sort());
    }
  });

  describe.each(stories.map((s) => [s.role, s] as const))('%s', (_role, story) => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startTestHub();
    });
    afterEach(disposeAll);
    afterAll(() => t?.stop());

    it(`runs its ${story.steps.length} steps in order with what each expects`, async () => {
      const run = await runStory(exampleClient(t), story);
      expect(run).toEqual(story.steps.map((s) => s.name));
    });
  });
});

describe('the example runner', () => {
  const results = new Map<string, unknown>([['01-gd-create-alert', { createAlert: { id: 'a1', version: 1, tags: ['X', 'Y'] } }]]);

  it('fills a whole-string placeholder with the value itself and a part of a string as text', () => {
    expect(fill({ id: '{{steps.01-gd-create-alert.createAlert.id}}', version: '{{ steps.01-gd-create-alert.createAlert.version }}', note: 'v{{steps.01-gd-create-alert.createAlert.version}}' }, results)).toEqual({
      id: 'a1',
      version: 1,
      note: 'v1',
    });
    expect(fill('{{now+30d}}', results, Date.UTC(2026, 11, 4))).toBe('2027-01-03T00:00:00.000Z');
    expect(fill('{{now-2h}}', results, Date.UTC(2026, 11, 4))).toBe('2026-12-03T22:00:00.000Z');
  });

  it('refuses a placeholder naming a step that has not run or a path that is not there', () => {
    expect(() => fill('{{steps.02-gd-publish-alert.publishAlert.id}}', results)).toThrow(/no earlier step 02-gd-publish-alert/);
    expect(() => fill('{{steps.01-gd-create-alert.createAlert.ID}}', results)).toThrow(/no "ID"/);
    expect(() => fill('{{tomorrow}}', results)).toThrow(/neither/);
  });

  it('checks ==, includes, excludes and >= and says what it found', () => {
    const r = results.get('01-gd-create-alert');
    expect(() => check(r, { path: 'createAlert.tags', op: 'includes', value: '"X"' }, results)).not.toThrow();
    expect(() => check(r, { path: 'createAlert.tags', op: 'excludes', value: '"X"' }, results)).toThrow(/found \["X","Y"\]/);
    expect(() => check(r, { path: 'createAlert.version', op: '>=', value: '2' }, results)).toThrow();
    expect(() => check(r, { path: 'createAlert.id', op: '==', value: '"{{steps.01-gd-create-alert.createAlert.id}}"' }, results)).not.toThrow();
  });

  it('refuses a story holding a file it would not run', () => {
    const root = mkdtempSync(join(tmpdir(), 'gba-examples-'));
    const story = join(root, 'analyst');
    const ok = '# Reads who the token speaks for.\n# as: HK OBSERVER\nquery Who { viewer { subject } }\n';
    const attempt = (files: Record<string, string>) => {
      rmSync(story, { recursive: true, force: true });
      mkdirSync(story);
      for (const [name, text] of Object.entries({ '01-hk-who.graphql': ok, ...files })) writeFileSync(join(story, name), text);
      return () => loadStories(root);
    };
    try {
      expect(attempt({})()[0].steps.map((s) => [s.name, s.agency, s.roles])).toEqual([['01-hk-who', 'HK', ['OBSERVER']]]);
      expect(attempt({ '02-hk-who.gql': ok })).toThrow(/not a step/);
      expect(attempt({ '02-HK Who.graphql': ok })).toThrow(/not a step/);
      expect(attempt({ '02-hk-other.variables.json': '{}' })).toThrow(/no 02-hk-other.graphql beside it/);
      expect(attempt({ '01-hk-again.graphql': ok })).toThrow(/two steps numbered 01/);
      expect(attempt({ '02-hk-nobody.graphql': '# Reads the viewer.\nquery Nobody { viewer { subject } }\n' })).toThrow(/# as:/);
      expect(attempt({ '02-hk-mute.graphql': '# as: HK OBSERVER\nquery Mute { viewer { subject } }\n' })).toThrow(/say in words/);
      expect(attempt({ '02-hk-two.graphql': ok + 'query Other { agencies { code } }\n' })).toThrow(/exactly one named operation/);
      expect(attempt({ '02-hk-watch.graphql': '# Watches.\n# as: HK OBSERVER\nsubscription Watch { alertEvents { cursor } }\n' })).toThrow(/# events: N/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
