import { describe, expect, it } from 'vitest'
import { DEFAULTS, parseSimArgs, type TParseSimArgsResult } from './args.ts'

function optionsOf(result: TParseSimArgsResult) {
  if (result.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(result)}`)
  return result.options
}

function errorOf(result: TParseSimArgsResult) {
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`)
  return result.error
}

describe('parseSimArgs', () => {
  it('fills every default when no flags are given', () => {
    expect(optionsOf(parseSimArgs([]))).toEqual({
      server: DEFAULTS.server,
      vehicles: 10,
      rate: 1,
      durationSec: 60,
      center: DEFAULTS.center,
      radiusKm: 4,
      anomalies: [],
      anomalyEverySec: 900,
      json: false,
    })
  })

  it('reads every flag', () => {
    const options = optionsOf(
      parseSimArgs([
        '--server=https://fms.example.com:8443',
        '--vehicles',
        '250',
        '--rate',
        '0.5',
        '--duration',
        '3600',
        '--seed',
        '42',
        '--center',
        '48.1372,11.5756',
        '--radius',
        '2.5',
        '--anomalies',
        'overspeed,silent',
        '--anomaly-every',
        '120',
        '--state',
        'sim.json',
        '--json',
      ]),
    )
    expect(options).toEqual({
      server: 'https://fms.example.com:8443',
      vehicles: 250,
      rate: 0.5,
      durationSec: 3600,
      seed: 42,
      center: { lat: 48.1372, lon: 11.5756 },
      radiusKm: 2.5,
      anomalies: ['overspeed', 'silent'],
      anomalyEverySec: 120,
      statePath: 'sim.json',
      json: true,
    })
  })

  it('reads --anomalies all and none', () => {
    expect(optionsOf(parseSimArgs(['--anomalies', 'all'])).anomalies).toEqual([
      'overspeed',
      'high_rpm',
      'overheat',
      'fuel_drop',
      'silent',
    ])
    expect(optionsOf(parseSimArgs(['--anomalies', 'none'])).anomalies).toEqual([])
  })

  it('reads a southern, western --center', () => {
    expect(optionsOf(parseSimArgs(['--center=-33.87,-70.65'])).center).toEqual({
      lat: -33.87,
      lon: -70.65,
    })
  })

  it('reads --email and --password together', () => {
    const options = optionsOf(parseSimArgs(['--email', 'ops@example.com', '--password', 's3cret']))
    expect(options).toMatchObject({ email: 'ops@example.com', password: 's3cret' })
  })

  it('reads --token and --devices together', () => {
    const options = optionsOf(parseSimArgs(['--token', 'fmd_abc', '--devices', 'devices.txt']))
    expect(options).toMatchObject({ token: 'fmd_abc', devicesFile: 'devices.txt' })
  })

  it('drops trailing slashes from --server', () => {
    expect(optionsOf(parseSimArgs(['--server', 'http://box:4000/'])).server).toBe('http://box:4000')
  })

  it('ignores a leading -- forwarded by pnpm', () => {
    expect(optionsOf(parseSimArgs(['--', '--vehicles', '3'])).vehicles).toBe(3)
  })

  it('answers help for --help and -h, even next to bad values', () => {
    expect(parseSimArgs(['--help'])).toEqual({ kind: 'help' })
    expect(parseSimArgs(['-h'])).toEqual({ kind: 'help' })
    expect(parseSimArgs(['--vehicles', 'abc', '--help'])).toEqual({ kind: 'help' })
  })

  it.each([
    [['--vehicles', 'abc'], "--vehicles must be a whole number from 1 to 100000, got 'abc'"],
    [['--vehicles', '0'], "--vehicles must be a whole number from 1 to 100000, got '0'"],
    [['--vehicles=-5'], "--vehicles must be a whole number from 1 to 100000, got '-5'"],
    [['--vehicles', '2.5'], "--vehicles must be a whole number from 1 to 100000, got '2.5'"],
    [['--vehicles', '100001'], "--vehicles must be a whole number from 1 to 100000, got '100001'"],
    [['--vehicles', '1e3'], "--vehicles must be a whole number from 1 to 100000, got '1e3'"],
    [['--vehicles='], "--vehicles must be a whole number from 1 to 100000, got ''"],
    [['--rate', '0'], "--rate must be a number of Hz above 0 and at most 100, got '0'"],
    [['--rate', '101'], "--rate must be a number of Hz above 0 and at most 100, got '101'"],
    [['--rate', 'fast'], "--rate must be a number of Hz above 0 and at most 100, got 'fast'"],
    [['--duration', '0'], "--duration must be a whole number from 1 to 604800, got '0'"],
    [['--duration', '1m'], "--duration must be a whole number from 1 to 604800, got '1m'"],
    [['--seed', '-1'], '--seed needs a value'],
    [
      ['--seed', '4294967296'],
      "--seed must be a whole number from 0 to 4294967295, got '4294967296'",
    ],
    [['--center', '52.5'], "--center must be LAT,LON in degrees (|LAT| <= 80), got '52.5'"],
    [['--center', '85,13'], "--center must be LAT,LON in degrees (|LAT| <= 80), got '85,13'"],
    [['--center', '52,181'], "--center must be LAT,LON in degrees (|LAT| <= 80), got '52,181'"],
    [['--radius', '0.1'], "--radius must be a number of km from 0.5 to 50, got '0.1'"],
    [['--radius', '51'], "--radius must be a number of km from 0.5 to 50, got '51'"],
    [['--anomalies', 'overspeed,fire'], '--anomalies takes a comma-separated list of'],
    [['--anomaly-every', '5'], "--anomaly-every must be a whole number from 10 to 604800, got '5'"],
    [['--state='], '--state must not be empty'],
    [['--server', 'localhost:4000'], "--server must be an http(s) URL, got 'localhost:4000'"],
    [['--server', 'ftp://box'], "--server must be an http(s) URL, got 'ftp://box'"],
    [['--email', 'nobody', '--password', 'x'], "--email must be an email address, got 'nobody'"],
    [['--email', 'a@example.com', '--password='], '--password must not be empty'],
  ])('rejects %j', (argv, message) => {
    expect(errorOf(parseSimArgs(argv))).toContain(message)
  })

  it('rejects an unknown flag by name', () => {
    expect(errorOf(parseSimArgs(['--vehicle', '3']))).toBe('unknown flag --vehicle')
  })

  it('rejects a flag missing its value', () => {
    expect(errorOf(parseSimArgs(['--vehicles']))).toMatch(/^--vehicles needs a value/)
  })

  it('rejects a value given to --json', () => {
    expect(errorOf(parseSimArgs(['--json=yes']))).toBe('--json does not take a value')
  })

  it('rejects positional arguments', () => {
    expect(errorOf(parseSimArgs(['10']))).toMatch(/^unexpected argument '10'/)
  })

  it('rejects --email without --password', () => {
    expect(errorOf(parseSimArgs(['--email', 'a@example.com']))).toBe(
      '--email and --password must be given together',
    )
  })

  it('rejects --token without --devices', () => {
    expect(errorOf(parseSimArgs(['--token', 'fmd_abc']))).toMatch(/^--token and --devices/)
  })

  it('rejects credentials and a token at once', () => {
    const argv = ['--email', 'a@example.com', '--password', 'p', '--token', 't', '--devices', 'f']
    expect(errorOf(parseSimArgs(argv))).toMatch(/^use either --email\/--password/)
  })

  it('never echoes the password or token in an error', () => {
    expect(errorOf(parseSimArgs(['--email', 'a@example.com', '--password=']))).toBe(
      '--password must not be empty',
    )
    expect(errorOf(parseSimArgs(['--token=', '--devices', 'f']))).toBe('--token must not be empty')
  })
})
