/**
 * The dashboard's styles, injected once into the document (JupyterLab theme variables only).
 */

const STYLE_ID = 'progress-tracker-dashboard-style';

const CSS = `
.pt-dashboard {
  display: flex;
  flex-direction: column;
  gap: 12px;
  padding: 12px 16px;
  overflow: auto;
  color: var(--jp-ui-font-color1);
  background: var(--jp-layout-color1);
  font-family: var(--jp-ui-font-family);
  font-size: var(--jp-ui-font-size1);
}
.pt-toolbar {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 8px 16px;
}
.pt-toolbar label {
  display: inline-flex;
  align-items: center;
  gap: 4px;
}
.pt-toolbar select,
.pt-toolbar input,
.pt-section select,
.pt-section input {
  color: var(--jp-ui-font-color1);
  background: var(--jp-layout-color1);
  border: var(--jp-border-width) solid var(--jp-border-color1);
  border-radius: 2px;
  font-family: var(--jp-ui-font-family);
  font-size: var(--jp-ui-font-size1);
  padding: 2px 4px;
}
.pt-toolbar input[type='number'],
.pt-section input[type='number'] {
  width: 4em;
}
.pt-toolbar input[type='checkbox'] {
  padding: 0;
}
.pt-export-group {
  display: inline-flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 12px;
  padding-left: 12px;
  border-left: var(--jp-border-width) solid var(--jp-border-color2);
}
.pt-notebook-select {
  max-width: 28em;
}
.pt-button {
  color: var(--jp-ui-inverse-font-color1);
  background: var(--jp-brand-color1);
  border: none;
  border-radius: 2px;
  padding: 4px 12px;
  cursor: pointer;
  font-size: var(--jp-ui-font-size1);
}
.pt-button:disabled {
  opacity: 0.6;
  cursor: default;
}
.pt-button-plain {
  color: var(--jp-ui-font-color1);
  background: var(--jp-layout-color2);
}
.pt-status {
  display: inline-flex;
  align-items: center;
  gap: 6px;
  margin-left: auto;
  color: var(--jp-ui-font-color2);
}
.pt-status::before {
  content: '';
  width: 8px;
  height: 8px;
  border-radius: 50%;
  background: var(--jp-warn-color1);
}
.pt-status[data-status='live']::before {
  background: var(--jp-success-color1);
}
.pt-status[data-status='stopped']::before {
  background: var(--jp-error-color1);
}
.pt-message {
  color: var(--jp-ui-font-color2);
}
.pt-message-error {
  color: var(--jp-error-color1);
}
.pt-columns {
  display: grid;
  grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr);
  gap: 12px;
  align-items: start;
}
.pt-column {
  display: flex;
  flex-direction: column;
  gap: 12px;
  min-width: 0;
}
.pt-section {
  border: var(--jp-border-width) solid var(--jp-border-color2);
  border-radius: 4px;
  background: var(--jp-layout-color1);
  padding: 8px 12px;
  min-width: 0;
}
.pt-section-header {
  display: flex;
  flex-wrap: wrap;
  align-items: baseline;
  gap: 4px 12px;
  margin-bottom: 8px;
}
.pt-section-header h2 {
  margin: 0;
  font-size: var(--jp-ui-font-size2);
  font-weight: 600;
}
.pt-section-header .pt-hint {
  color: var(--jp-ui-font-color2);
}
.pt-summary {
  color: var(--jp-ui-font-color2);
}
.pt-empty {
  color: var(--jp-ui-font-color2);
  font-style: italic;
}
.pt-mono,
.pt-code {
  font-family: var(--jp-code-font-family);
  font-size: var(--jp-code-font-size);
}
.pt-code {
  margin: 4px 0 0 0;
  padding: 4px 8px;
  white-space: pre-wrap;
  word-break: break-word;
  background: var(--jp-cell-editor-background);
  border: var(--jp-border-width) solid var(--jp-cell-editor-border-color);
  border-radius: 2px;
  max-height: 16em;
  overflow: auto;
}
pre.pt-error-text {
  margin: 4px 0 0 0;
}
.pt-error-text {
  color: var(--jp-error-color1);
  white-space: pre-wrap;
  word-break: break-word;
}
.pt-link {
  background: none;
  border: none;
  padding: 0;
  color: var(--jp-content-link-color);
  cursor: pointer;
  font: inherit;
  text-align: left;
}
.pt-link:hover {
  text-decoration: underline;
}

/* Needing help */
.pt-help-list {
  list-style: none;
  margin: 0;
  padding: 0;
  max-height: 18em;
  overflow: auto;
}
.pt-help-item {
  display: grid;
  grid-template-columns: minmax(8em, max-content) 1fr;
  gap: 2px 12px;
  padding: 4px 0;
  border-bottom: var(--jp-border-width) solid var(--jp-border-color3);
}
.pt-help-item:last-child {
  border-bottom: none;
}
.pt-help-reasons {
  display: flex;
  flex-wrap: wrap;
  gap: 4px;
}
.pt-badge {
  display: inline-block;
  padding: 0 6px;
  border-radius: 8px;
  font-size: var(--jp-ui-font-size0);
  background: var(--jp-layout-color3);
  color: var(--jp-ui-font-color1);
}
.pt-badge-errors {
  background: var(--jp-error-color3);
  color: var(--jp-error-color0);
}
.pt-badge-idle {
  background: var(--jp-warn-color3);
  color: var(--jp-warn-color0);
}
.pt-help-detail {
  grid-column: 2;
  color: var(--jp-ui-font-color2);
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
}

/* Grid */
.pt-grid-viewport {
  position: relative;
  overflow: auto;
  max-height: 60vh;
  min-height: 120px;
  border: var(--jp-border-width) solid var(--jp-border-color3);
}
.pt-grid-header {
  position: sticky;
  top: 0;
  z-index: 2;
  display: flex;
  height: 24px;
  background: var(--jp-layout-color2);
  border-bottom: var(--jp-border-width) solid var(--jp-border-color2);
}
.pt-grid-corner {
  position: sticky;
  left: 0;
  z-index: 3;
  flex: none;
  background: var(--jp-layout-color2);
  padding: 0 6px;
  line-height: 24px;
  color: var(--jp-ui-font-color2);
  box-sizing: border-box;
}
.pt-grid-colhead {
  flex: none;
  text-align: center;
  line-height: 24px;
  font-size: var(--jp-ui-font-size0);
  color: var(--jp-ui-font-color2);
  overflow: hidden;
}
.pt-grid-body {
  position: relative;
}
.pt-grid-row {
  position: absolute;
  left: 0;
  display: flex;
  align-items: center;
}
.pt-grid-row:hover {
  background: var(--jp-layout-color2);
}
.pt-grid-name {
  position: sticky;
  left: 0;
  z-index: 1;
  flex: none;
  box-sizing: border-box;
  height: 100%;
  padding: 0 6px;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  background: var(--jp-layout-color1);
  border: none;
  text-align: left;
  cursor: pointer;
  color: var(--jp-ui-font-color1);
  font: inherit;
}
.pt-grid-name:hover {
  color: var(--jp-content-link-color);
  text-decoration: underline;
}
.pt-grid-name[data-help='true'] {
  font-weight: 600;
  color: var(--jp-error-color1);
}
.pt-grid-cell {
  flex: none;
  box-sizing: border-box;
  border-radius: 3px;
  margin: 2px;
  background: var(--jp-layout-color3);
  opacity: 0.5;
}
.pt-grid-cell[data-status='succeeded'] {
  background: var(--jp-success-color1);
  opacity: 1;
}
.pt-grid-cell[data-status='failed'] {
  background: var(--jp-error-color1);
  opacity: 1;
}
.pt-grid-cell[data-status='running'] {
  background: var(--jp-brand-color1);
  opacity: 1;
}
.pt-grid-cell[data-flash='true'] {
  box-shadow: 0 0 0 2px var(--jp-brand-color1);
  animation: pt-flash 1s ease-out 1;
}
@keyframes pt-flash {
  from {
    transform: scale(1.4);
  }
  to {
    transform: scale(1);
  }
}
.pt-legend {
  display: flex;
  flex-wrap: wrap;
  gap: 12px;
  margin-top: 6px;
  color: var(--jp-ui-font-color2);
}
.pt-legend span {
  display: inline-flex;
  align-items: center;
  gap: 4px;
}
.pt-legend i {
  display: inline-block;
  width: 12px;
  height: 12px;
  border-radius: 3px;
}
.pt-tooltip {
  position: fixed;
  z-index: 10000;
  max-width: 32em;
  padding: 4px 8px;
  white-space: pre-wrap;
  word-break: break-word;
  pointer-events: none;
  color: var(--jp-ui-font-color1);
  background: var(--jp-layout-color0);
  border: var(--jp-border-width) solid var(--jp-border-color1);
  border-radius: 2px;
  box-shadow: var(--jp-elevation-z4);
  font-size: var(--jp-ui-font-size1);
}

/* Errors */
.pt-errors {
  max-height: 28em;
  overflow: auto;
}
.pt-errors-cell {
  margin-bottom: 8px;
}
.pt-errors-cell h3 {
  margin: 4px 0;
  font-size: var(--jp-ui-font-size1);
  font-weight: 600;
}
.pt-errors-group {
  margin: 2px 0 6px 0;
}
.pt-errors-group summary {
  cursor: pointer;
}
.pt-errors-count {
  color: var(--jp-ui-font-color2);
  margin-left: 6px;
}

/* Pace */
.pt-pace-canvas-box {
  position: relative;
  height: 220px;
}

/* Timeline */
.pt-timeline-list {
  list-style: none;
  margin: 0;
  padding: 0;
  max-height: 36em;
  overflow: auto;
}
.pt-timeline-item {
  padding: 6px 0;
  border-bottom: var(--jp-border-width) solid var(--jp-border-color3);
}
.pt-timeline-meta {
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
  color: var(--jp-ui-font-color2);
}
.pt-timeline-item[data-error='true'] .pt-timeline-outcome {
  color: var(--jp-error-color1);
  font-weight: 600;
}
.pt-timeline-item[data-error='false'] .pt-timeline-outcome {
  color: var(--jp-success-color1);
}
@media (max-width: 900px) {
  .pt-columns {
    grid-template-columns: minmax(0, 1fr);
  }
}
`;

/** Add the dashboard's styles to the document, once. */
export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) {
    return;
  }
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
