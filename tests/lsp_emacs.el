;;; lsp_emacs.el --- Emacs 28 + eglot 1.9 (Debian packages) drive `jenkinsfile lsp'. -*- lexical-binding: t -*-
;; Loaded by tests/lsp_emacs.rs with `emacs --batch -q -l'. Writes what the editor received to
;; $JF_OUT: the diagnostics flymake holds (line:character text), the hover of `sh', and the
;; diagnostics after the buffer is fixed. Batch Emacs runs no idle timers, so flymake and the
;; didChange notification are driven by hand.
(prefer-coding-system 'utf-8)
(require 'eglot)
(require (quote flymake))
(require (quote cl-lib))
(define-derived-mode jenkinsfile-mode prog-mode "Jenkinsfile")

;; The README's Emacs set-up, verbatim but for the binary's path.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `((groovy-mode jenkinsfile-mode) . (,(getenv "JF_BIN") "lsp"))))
(setq-default eglot-workspace-configuration
              '(:jenkinsfile (:disable ["sh-bashism"])))

(defun jf-wait (pred)
  "Pump process output until PRED holds, or 30 s pass."
  (let ((deadline (+ (float-time) 30)) (v nil))
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1)
      (flymake-start))
    v))

(defun jf-diagnostics ()
  (mapcar (lambda (d)
            (let ((beg (flymake-diagnostic-beg d)))
              (format "%d:%d %s" (line-number-at-pos beg)
                      (save-excursion (goto-char beg) (- beg (line-beginning-position)))
                      (car (split-string (flymake-diagnostic-text d) "\n")))))
          (flymake-diagnostics)))

(let ((out (getenv "JF_OUT")) (lines nil))
  (find-file (getenv "JF_FILE"))
  (jenkinsfile-mode)
  ;; What M-x eglot does, minus the prompts: the contact comes from eglot-server-programs and
  ;; the project from the git repository the test made.
  (apply #'eglot (eglot--guess-contact))
  (flymake-start)
  ;; The first publication may predate the settings (eglot sends didOpen and
  ;; didChangeConfiguration in either order): wait for one without the disabled rule, and
  ;; record whatever is there after the timeout.
  (jf-wait (lambda ()
             (let ((d (jf-diagnostics)))
               (and d (not (cl-some (lambda (l) (string-match-p "sh-bashism" l)) d))))))
  (setq lines (jf-diagnostics))
  ;; Hover on the `sh' of line 4.
  (goto-char (point-min))
  (re-search-forward "^ *sh ")
  (backward-char 2)
  (let* ((hover (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                 (eglot--TextDocumentPositionParams)))
         (value (plist-get (plist-get hover :contents) :value)))
    ;; The first line after the groovy fence is the signature: keep the step's name.
    (setq lines (append lines (list (format "hover %s"
                                            (if (and value (string-match "```groovy\n\\([^\n(]*\\)" value))
                                                (match-string 1 value)
                                              "none"))))))
  ;; Fix the typo; the server must then clear the diagnostics.
  (goto-char (point-min))
  (re-search-forward "shh")
  (replace-match "sh")
  (eglot--signal-textDocument/didChange)
  (jf-wait (lambda () (null (jf-diagnostics))))
  (setq lines (append lines (list (format "after fix %d" (length (jf-diagnostics))))))
  (eglot-shutdown (eglot--current-server-or-lose))
  (with-temp-file out (insert (mapconcat #'identity lines "\n") "\n"))
  (kill-emacs 0))
