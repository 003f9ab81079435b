/**
 * A span showing `text` as text, never as markup. For APIs that parse a string as HTML, such as
 * Leaflet's tooltips and popups: give them this instead of a name someone typed.
 */
export function createTextElement(text: string): HTMLElement {
  const element = document.createElement('span')
  element.textContent = text
  return element
}
