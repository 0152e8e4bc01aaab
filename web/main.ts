/**
 * The offline web app (issue 17; design section 10; docs/web.md): one screen per job, chosen by the tabs. The
 * screen's name is the only thing in the URL (its #fragment); nothing is stored in localStorage or printed to the
 * console.
 *
 * @module
 */
import { byId } from './dom.js';
import { renderPlan } from './plan.js';
import { setupCombine } from './combine.js';
import { setupSplit } from './split.js';
import { setupVerify } from './verify.js';

/** Shows the screen named by the URL fragment (default plan); the others are hidden. */
function showScreen(): void {
  const screens = Array.from(document.querySelectorAll<HTMLElement>('section.screen'));
  const wanted = location.hash.slice(1);
  const current = screens.some((s) => s.id === wanted) ? wanted : 'plan';
  for (const s of screens) s.hidden = s.id !== current;
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>('#tabs a'))) {
    if (a.dataset['screen'] === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

const form = byId<HTMLFormElement>('plan-form');
const operators = byId<HTMLInputElement>('plan-operators');
const threshold = byId<HTMLInputElement>('plan-threshold');
const out = byId<HTMLElement>('plan-out');
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  renderPlan(out, operators.value, threshold.value);
});
renderPlan(out, operators.value, threshold.value);
setupSplit();
setupVerify();
setupCombine();
window.addEventListener('hashchange', showScreen);
showScreen();
