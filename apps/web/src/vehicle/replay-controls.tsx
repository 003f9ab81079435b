import { useId } from 'react'
import { formatDateTime, formatDuration } from '../lib/format'
import { REPLAY_SPEEDS } from './replay'
import type { TReplay } from './use-replay'

/** Play/pause, replay speed and a position slider, all usable by keyboard. */
export function ReplayControls({ replay }: { replay: TReplay }) {
  const speedId = useId()
  const positionId = useId()
  const isEmpty = replay.end <= replay.start
  return (
    <fieldset className="replay-controls">
      <legend className="visually-hidden">Track replay</legend>
      <button
        type="button"
        disabled={isEmpty}
        onClick={replay.isPlaying ? replay.pause : replay.play}
      >
        {replay.isPlaying ? 'Pause replay' : 'Play replay'}
      </button>
      <div className="field inline-field">
        <label htmlFor={speedId}>Replay speed</label>
        <select
          id={speedId}
          value={replay.speed}
          onChange={(event) => replay.setSpeed(Number(event.target.value))}
        >
          {REPLAY_SPEEDS.map((speed) => (
            <option key={speed} value={speed}>
              {speed}×
            </option>
          ))}
        </select>
      </div>
      <div className="field replay-position">
        <label htmlFor={positionId}>Replay position</label>
        <input
          id={positionId}
          type="range"
          min={replay.start}
          max={Math.max(replay.end, replay.start + 1)}
          step={1000}
          value={replay.time}
          disabled={isEmpty}
          aria-valuetext={formatDateTime(replay.time)}
          onChange={(event) => replay.seek(Number(event.target.value))}
        />
      </div>
      <output htmlFor={positionId} className="replay-clock">
        {isEmpty
          ? 'No track in this range'
          : `${formatDateTime(replay.time)} (+${formatDuration(replay.time - replay.start)})`}
      </output>
    </fieldset>
  )
}
