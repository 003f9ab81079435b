import { type RefObject, useEffect, useRef, useState } from 'react'

/**
 * A disclosure menu's state (the compact navigation): on open, focus moves to the first link in
 * the menu; Escape closes it and returns focus to the button; a click outside `rootRef` or
 * following a link (the hash changes) closes it.
 */
export function useMenu(rootRef: RefObject<HTMLElement | null>) {
  const [isOpen, setIsOpen] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!isOpen) return
    menuRef.current?.querySelector<HTMLElement>('a, button')?.focus()
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setIsOpen(false)
      buttonRef.current?.focus()
    }
    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setIsOpen(false)
    }
    const close = () => setIsOpen(false)
    document.addEventListener('keydown', closeOnEscape)
    document.addEventListener('pointerdown', closeOutside)
    window.addEventListener('hashchange', close)
    return () => {
      document.removeEventListener('keydown', closeOnEscape)
      document.removeEventListener('pointerdown', closeOutside)
      window.removeEventListener('hashchange', close)
    }
  }, [isOpen, rootRef])

  return { isOpen, toggle: () => setIsOpen((open) => !open), buttonRef, menuRef }
}
