/* Styles of the progress-tracker extension. */
import './base.css';
import './help.css';
