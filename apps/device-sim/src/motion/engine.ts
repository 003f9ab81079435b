/**
 * The drivetrain of a light commercial vehicle, as pure functions: gear and rpm from speed,
 * power from the driving resistances, engine load and fuel flow from power, coolant temperature
 * as a first-order lag. Numbers are typical, not any one model's.
 */
export const VEHICLE_SPEC = {
  massKg: 1900,
  wheelRadiusM: 0.33,
  finalDrive: 3.9,
  gears: [3.6, 2.1, 1.4, 1.0, 0.8, 0.65],
  idleRpm: 800,
  redlineRpm: 6500,
  maxPowerKw: 110,
  peakPowerRpm: 4500,
  tankL: 60,
  rollingResistance: 0.012,
  dragAreaM2: 0.75,
  drivetrainEfficiency: 0.9,
  /** Litres per kWh of brake work (about 250 g/kWh of petrol). */
  fuelLPerKwh: 0.27,
  idleFuelLPerHour: 0.7,
  /** Power the engine spends on itself at idle (what the load reading includes). */
  idlePowerKw: 3,
} as const

const AIR_DENSITY = 1.2
const GRAVITY = 9.81
const THERMOSTAT_C = 88

export interface EngineInput {
  speedMs: number
  accelMs2: number
  isIgnitionOn: boolean
  /** The high-RPM anomaly: the driver holds a low gear. */
  isRevving: boolean
}

export interface EngineReading {
  gear: number
  rpm: number
  /** Calculated engine load, % (0 with the engine off or on the overrun, fuel cut). */
  engineLoad: number
  fuelLPerSec: number
}

function computeGearRpm(speedMs: number, gear: number): number {
  const wheelRpm = (speedMs / (2 * Math.PI * VEHICLE_SPEC.wheelRadiusM)) * 60
  return wheelRpm * VEHICLE_SPEC.finalDrive * (VEHICLE_SPEC.gears[gear - 1] ?? 1)
}

/** Highest gear that keeps the engine above the shift point (higher when accelerating). */
function selectGear(speedMs: number, accelMs2: number, isRevving: boolean): number {
  const gears = VEHICLE_SPEC.gears.length
  if (isRevving) {
    for (let gear = 1; gear <= gears; gear++) {
      if (computeGearRpm(speedMs, gear) <= VEHICLE_SPEC.redlineRpm - 200) return gear
    }
    return gears
  }
  const shiftRpm = accelMs2 > 0.8 ? 2300 : 1350
  for (let gear = gears; gear >= 1; gear--) {
    if (computeGearRpm(speedMs, gear) >= shiftRpm) return gear
  }
  return 1
}

/** Force at the wheels needed for this speed and acceleration, N (negative: braking). */
function computeTractionN(speedMs: number, accelMs2: number): number {
  const rolling = speedMs > 0.1 ? VEHICLE_SPEC.massKg * GRAVITY * VEHICLE_SPEC.rollingResistance : 0
  const drag = 0.5 * AIR_DENSITY * VEHICLE_SPEC.dragAreaM2 * speedMs * speedMs
  return VEHICLE_SPEC.massKg * accelMs2 + rolling + drag
}

function computeAvailableKw(rpm: number): number {
  return VEHICLE_SPEC.maxPowerKw * Math.min(1, rpm / VEHICLE_SPEC.peakPowerRpm)
}

/** The most the engine can accelerate the vehicle at this speed, m/s². */
export function computeMaxAccelMs2(speedMs: number): number {
  const forceN =
    (VEHICLE_SPEC.maxPowerKw * 1000 * VEHICLE_SPEC.drivetrainEfficiency) / Math.max(speedMs, 1)
  return (forceN - computeTractionN(speedMs, 0)) / VEHICLE_SPEC.massKg
}

export function readEngine(input: EngineInput): EngineReading {
  if (!input.isIgnitionOn) return { gear: 0, rpm: 0, engineLoad: 0, fuelLPerSec: 0 }
  const { speedMs, accelMs2 } = input
  const gear = selectGear(speedMs, accelMs2, input.isRevving)
  let rpm = computeGearRpm(speedMs, gear)
  // Pulling away the clutch slips: the engine sits a little above idle.
  if (speedMs < 2 && accelMs2 > 0) rpm = Math.max(rpm, VEHICLE_SPEC.idleRpm + 450)
  if (input.isRevving && speedMs > 1) rpm = Math.max(rpm, 4900)
  rpm = Math.min(VEHICLE_SPEC.redlineRpm, Math.max(VEHICLE_SPEC.idleRpm, rpm))

  const wheelKw = (computeTractionN(speedMs, accelMs2) * speedMs) / 1000
  const isOverrun = wheelKw < 0 && speedMs > 3
  if (isOverrun) return { gear, rpm, engineLoad: 0, fuelLPerSec: 0 }
  const brakeKw = Math.max(0, wheelKw) / VEHICLE_SPEC.drivetrainEfficiency
  const revvingKw = input.isRevving ? (rpm / VEHICLE_SPEC.redlineRpm) * 25 : 0
  const engineKw = brakeKw + revvingKw + VEHICLE_SPEC.idlePowerKw
  const engineLoad = Math.min(100, (100 * engineKw) / computeAvailableKw(rpm))
  const fuelLPerHour =
    VEHICLE_SPEC.idleFuelLPerHour + (brakeKw + revvingKw) * VEHICLE_SPEC.fuelLPerKwh
  return { gear, rpm, engineLoad, fuelLPerSec: fuelLPerHour / 3600 }
}

/**
 * Coolant temperature after `dtSec`: towards the thermostat (a little above under load) while
 * running, towards the ambient air when off, towards boiling while the overheat anomaly lasts
 * (and the engine runs).
 */
export function approachCoolant(input: {
  coolantC: number
  ambientC: number
  isIgnitionOn: boolean
  engineLoad: number
  isOverheating: boolean
  dtSec: number
}): number {
  let targetC = input.ambientC
  let tauSec = 1200
  if (input.isOverheating && input.isIgnitionOn) {
    targetC = 126
    tauSec = 90
  } else if (input.isIgnitionOn) {
    targetC = THERMOSTAT_C + (6 * input.engineLoad) / 100
    tauSec = 200
  }
  return targetC + (input.coolantC - targetC) * Math.exp(-input.dtSec / tauSec)
}
