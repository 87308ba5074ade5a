// Clock times for people: local with the offset, the zone from TZ or --timezone, bad names refused.
import { describe, expect, it } from 'vitest';
import {
  checkTimeZone,
  isoInZone,
  localDay,
  localTime,
  resolveTimeZone,
} from '../../src/render/local-time.js';

describe('localTime', () => {
  it.each([
    ['Asia/Shanghai', '2024-06-23 01:25:22 +08:00'],
    ['UTC', '2024-06-22 17:25:22 +00:00'],
    ['America/St_Johns', '2024-06-22 14:55:22 -02:30'],
    ['Asia/Kolkata', '2024-06-22 22:55:22 +05:30'],
  ])('shows 2024-06-22T17:25:22Z in %s as %s', (zone, shown) => {
    expect(localTime('2024-06-22T17:25:22.000Z', zone)).toBe(shown);
    expect(localTime(new Date('2024-06-22T17:25:22Z'), zone)).toBe(shown);
  });

  it('follows daylight saving time by the instant', () => {
    expect(localTime('2024-01-15T12:00:00Z', 'Europe/Berlin')).toBe('2024-01-15 13:00:00 +01:00');
    expect(localTime('2024-07-15T12:00:00Z', 'Europe/Berlin')).toBe('2024-07-15 14:00:00 +02:00');
  });

  it('leaves a text that is not a full date-time with a zone as it is', () => {
    expect(localTime('2024-06-22', 'Asia/Shanghai')).toBe('2024-06-22');
    expect(localTime('yesterday', 'Asia/Shanghai')).toBe('yesterday');
  });

  it('gives the local day and an ISO time with the offset', () => {
    expect(localDay(new Date('2024-06-22T17:25:22Z'), 'Asia/Shanghai')).toBe('2024-06-23');
    expect(isoInZone(new Date('2024-06-22T17:25:22.120Z'), 'Asia/Shanghai')).toBe(
      '2024-06-23T01:25:22.120+08:00',
    );
  });
});

describe('resolveTimeZone', () => {
  it('takes the given zone, else TZ, else the system zone', () => {
    expect(resolveTimeZone('Europe/Berlin', { TZ: 'Asia/Shanghai' })).toBe('Europe/Berlin');
    expect(resolveTimeZone(undefined, { TZ: 'Asia/Shanghai' })).toBe('Asia/Shanghai');
    expect(resolveTimeZone(undefined, { TZ: ':/etc/localtime' })).toBeTruthy();
    expect(resolveTimeZone(undefined, {})).toBeTruthy();
  });

  it('refuses a zone name ICU does not know, as bad usage', () => {
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(expect.objectContaining({ code: 'usage' }));
    expect(() => resolveTimeZone('')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
