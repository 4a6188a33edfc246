/* Styles of the progress-tracker extension. */
import './base.css';
import './notice.css';
import './help.css';
