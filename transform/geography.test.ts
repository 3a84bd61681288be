import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractDocument, readCorpus } from '../extract/index.js';
import { GEOGRAPHIES_FILE, GeographyLookup, GeographyLookupError, findGeographies, geographies, geographyOfLabel, normaliseGeographyName } from './geography.js';
import { transform } from './index.js';

const RAW = join(import.meta.dirname, '..', 'raw');

describe('the geography lookup (transform/geographies.jsonl)', () => {
  it('holds England and Wales, the nations, the nine regions and the police force areas, with their GSS codes', () => {
    const g = geographies();
    expect(g.lookup('England and Wales')).toEqual({ code: 'K04000001', name: 'England and Wales', type: 'union' });
    expect(g.lookup('England')?.code).toBe('E92000001');
    expect(g.lookup('Wales')?.code).toBe('W92000004');
    const regions = ['North East', 'North West', 'Yorkshire and The Humber', 'East Midlands', 'West Midlands', 'East of England', 'London', 'South East', 'South West'];
    expect(regions.map((r) => g.lookup(r)?.code)).toEqual(regions.map((_, i) => `E1200000${i + 1}`));
    expect(g.lookup('Cleveland')?.code).toBe('E23000013');
    expect(g.lookup('Dyfed-Powys')?.code).toBe('W15000004');
    expect(g.lookup('British Transport Police')).toEqual({ code: null, name: 'British Transport Police', type: 'police-force-area' });
  });

  it('reads the aliases releases print, exactly after normalisation', () => {
    const name = (s: string) => geographyOfLabel(s);
    expect(name('Eastern')).toBe('East of England');
    expect(name('East')).toBeNull(); // not an alias: "East Sussex" is not the East of England
    expect(name('Yorkshire & Humber')).toBe('Yorkshire and The Humber');
    expect(name('Yorkshire and the Humber')).toBe('Yorkshire and The Humber');
    expect(name('YORKSHIRE AND THE HUMBER')).toBe('Yorkshire and The Humber');
    expect(name('Avon & Somerset')).toBe('Avon and Somerset');
    expect(name('Devon & Cornwall')).toBe('Devon and Cornwall');
    expect(name('London')).toBe('London');
    expect(geographies().lookup('London')?.code).toBe('E12000007');
    expect(geographies().lookup('Metropolitan Police')?.code).toBe('E23000001');
    expect(geographies().lookup('London, City of')?.code).toBe('E23000034');
    // footnote markers
    expect(name('England and Wales¹¹')).toBe('England and Wales');
    expect(name('England and Wales 11')).toBe('England and Wales');
    expect(name('Wales [note 3]')).toBe('Wales');
    expect(name('North East*')).toBe('North East');
    // never fuzzy
    expect(name('Yorkshire')).toBeNull();
    expect(name('North Easts')).toBeNull();
    expect(name('England and Wales excluding London')).toBeNull();
    expect(normaliseGeographyName('  The Avon & Somerset ² ')).toBe('avon and somerset');
  });

  it('finds names in free text, longest first', () => {
    expect(findGeographies('In England and Wales, and in Yorkshire & the Humber, 12 cases').map((m) => [m.geography, m.code])).toEqual([
      ['England and Wales', 'K04000001'],
      ['Yorkshire and The Humber', 'E12000003'],
    ]);
    const text = 'cases in the North East rose';
    const [m] = findGeographies(text);
    expect(text.slice(m!.offset, m!.end)).toBe('North East');
  });

  it('refuses a bad file with an error that names the file and the line', () => {
    const file = '/somewhere/geographies.jsonl';
    const good = '{"code": "E92000001", "name": "England", "type": "nation", "aliases": []}';
    const bad = (text: string) => {
      try {
        GeographyLookup.parse(text, file);
      } catch (e) {
        expect(e).toBeInstanceOf(GeographyLookupError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad(`# comment\n${good}\n{"code": "E9200001", "name": "Wales", "type": "nation"}\n`)).toMatch(/^\/somewhere\/geographies\.jsonl:3: code: a GSS code/);
    expect(bad(`${good}\n\n{"code": null, "name": "Wales", "type": "country"}`)).toMatch(/^\/somewhere\/geographies\.jsonl:3: type:/);
    expect(bad(`${good}\n{"code": null, "name": "Wales",`)).toMatch(/^\/somewhere\/geographies\.jsonl:2: not JSON/);
    expect(bad(`${good}\n{"code": null, "name": "Wales", "type": "nation", "extra": 1}`)).toMatch(/:2: .*extra/);
    // two entries one normalised name
    expect(bad(`${good}\n{"code": "W92000004", "name": "Wales", "type": "nation", "aliases": ["the ENGLAND"]}`)).toMatch(
      /^\/somewhere\/geographies\.jsonl:2: name 'the ENGLAND' normalises to 'england', which line 1 already names/,
    );
  });

  it('reads the bundled file without error, no normalised name given twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'davs-geo-'));
    const copy = join(dir, 'geographies.jsonl');
    const { readFile } = await import('node:fs/promises');
    await writeFile(copy, await readFile(GEOGRAPHIES_FILE, 'utf8'));
    expect(() => GeographyLookup.read(copy)).not.toThrow();
    await writeFile(copy, `${await readFile(GEOGRAPHIES_FILE, 'utf8')}{"code": "E12000007", "name": "Greater London"}\n`);
    expect(() => GeographyLookup.read(copy)).toThrow(new RegExp(`^${copy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: type: `));
  });
});

describe('observations of the bundled corpus', () => {
  it('carry the GSS code of their geography: England and Wales is K04000001', async () => {
    const { documents } = await readCorpus(RAW);
    const doc = documents.find((d) => d.record.file === 'ons-dav-2020-11.txt')!;
    const observations = transform([await extractDocument(doc.record, doc.bytes)]);
    const ew = observations.filter((o) => o.geography === 'England and Wales');
    expect(ew.length).toBeGreaterThan(0);
    expect(new Set(ew.map((o) => o.geography_code))).toEqual(new Set(['K04000001']));
    for (const o of observations) expect(o.geography_code).toBe(geographies().lookup(o.geography)?.code ?? null);
  });
});
