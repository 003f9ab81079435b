import { useEffect, useRef, useState } from 'react'
import { advancePlayhead, DEFAULT_REPLAY_SPEED, type TTrackPoint } from './replay'

/**
 * The replay of a track: a playhead time that advances per animation frame at `speed`× real
 * time while playing. A new track resets it to the start, paused.
 */
export function useReplay(track: readonly TTrackPoint[]) {
  const start = track[0]?.time ?? 0
  const end = track.at(-1)?.time ?? 0
  const [time, setTimeState] = useState(start)
  const timeRef = useRef(start)
  const [isPlaying, setIsPlaying] = useState(false)
  const [speed, setSpeed] = useState<number>(DEFAULT_REPLAY_SPEED)

  function setTime(next: number) {
    timeRef.current = next
    setTimeState(next)
  }

  useEffect(() => {
    setTime(start)
    setIsPlaying(false)
  }, [start, end])

  useEffect(() => {
    if (!isPlaying) return
    let frame = 0
    let last = performance.now()
    const step = (at: number) => {
      const next = advancePlayhead({
        time: timeRef.current,
        start,
        end,
        elapsedMs: at - last,
        speed,
      })
      last = at
      setTime(next.time)
      if (next.isFinished) setIsPlaying(false)
      else frame = requestAnimationFrame(step)
    }
    frame = requestAnimationFrame(step)
    return () => cancelAnimationFrame(frame)
  }, [isPlaying, start, end, speed])

  return {
    time,
    start,
    end,
    isPlaying,
    speed,
    play: () => {
      if (timeRef.current >= end) setTime(start)
      setIsPlaying(true)
    },
    pause: () => setIsPlaying(false),
    seek: (to: number) => setTime(Math.min(end, Math.max(start, to))),
    setSpeed,
  }
}

export type TReplay = ReturnType<typeof useReplay>
