/* Styles of the progress-tracker extension: every stylesheet style/index.css imports. */
import './index.css';
