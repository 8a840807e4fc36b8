<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AgentMenus</name>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="109"/>
        <source>&amp;Call</source>
        <translation>&amp;Appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="110"/>
        <source>&amp;Go to</source>
        <translation>A&amp;ller à</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="111"/>
        <source>Call t&amp;ype</source>
        <translation>T&amp;ype d&apos;appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="112"/>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="114"/>
        <source>&amp;New call</source>
        <translation>&amp;Nouvel appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="115"/>
        <source>&amp;Save the contact</source>
        <translation>&amp;Enregistrer la fiche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="116"/>
        <source>Save the contact (alternative key)</source>
        <translation>Enregistrer la fiche (autre touche)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="117"/>
        <source>Mark &amp;urgent</source>
        <translation>Marquer &amp;urgent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="118"/>
        <source>&amp;Take the waiting call</source>
        <translation>&amp;Prendre l&apos;appel en attente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="119"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="120"/>
        <source>Change the c&amp;lient…</source>
        <translation>Changer de c&amp;lient…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="121"/>
        <source>&amp;Dialled digits</source>
        <translation>&amp;Chiffres composés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="122"/>
        <source>&amp;Caller&apos;s number</source>
        <translation>&amp;Numéro de l&apos;appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="123"/>
        <source>N&amp;otes</source>
        <translation>Not&amp;es</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="124"/>
        <source>Search the &amp;history</source>
        <translation>Chercher dans l&apos;&amp;historique</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="125"/>
        <source>The shift&apos;s next c&amp;lient</source>
        <translation>C&amp;lient suivant de la vacation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="126"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="127"/>
        <source>&amp;High contrast</source>
        <translation>&amp;Contraste élevé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="128"/>
        <source>&amp;Supervision (PIN)…</source>
        <translation>&amp;Supervision (code)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="143"/>
        <source>Up/Down	choose among the matching numbers</source>
        <translation>Haut/Bas	choisir parmi les numéros trouvés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="144"/>
        <source>Enter	take the chosen number, go to the caller</source>
        <translation>Entrée	prendre le numéro choisi, aller à l&apos;appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="145"/>
        <source>Call-type key on the digits	choose the type, go on to the caller</source>
        <translation>Touche de type d’appel sur les chiffres	choisit le type, passe à l’appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="146"/>
        <source>Alt+underlined letter	go to that field</source>
        <translation>Alt+lettre soulignée	aller à ce champ</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/agent_menus.py" line="149"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
</context>
<context>
    <name>AgentPage</name>
    <message>
        <location filename="../../desktop/ui/agent_page.py" line="311"/>
        <source>Invisible characters removed from the pasted text (soft line breaks kept as line breaks).</source>
        <translation>Caractères invisibles retirés du texte collé (les sauts de ligne de Word gardés comme sauts de ligne).</translation>
    </message>
</context>
<context>
    <name>BranchCard</name>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="85"/>
        <source>Branch called: %1</source>
        <translation>Agence appelée : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="95"/>
        <source>No branch selected</source>
        <translation>Aucune agence sélectionnée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="102"/>
        <source>Dialled: %1</source>
        <translation>Numéro composé : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="105"/>
        <source>National line</source>
        <translation>Ligne nationale</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="106"/>
        <source>National line (no branch)</source>
        <translation>Ligne nationale (sans agence)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="136"/>
        <source>Client: %1</source>
        <translation>Client : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="154"/>
        <source>It is %1 in %2 (%3 here)</source>
        <translation>Il est %1 à %2 (%3 ici)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="161"/>
        <source>Public holiday: %1</source>
        <translation>Jour férié : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="164"/>
        <source>Opening hours unknown</source>
        <translation>Horaires inconnus</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="167"/>
        <source>open/closed unknown</source>
        <translation>ouverture inconnue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="169"/>
        <source>OPEN now</source>
        <translation>OUVERTE maintenant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="170"/>
        <source>closes %1</source>
        <translation>ferme à %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="173"/>
        <source>CLOSED now</source>
        <translation>FERMÉE maintenant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="174"/>
        <source>opens %1</source>
        <translation>ouvre %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="181"/>
        <source>Call type: choose with its key (%1)</source>
        <translation>Type d&apos;appel : à choisir avec sa touche (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="186"/>
        <source>Call type: %1</source>
        <translation>Type d&apos;appel : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="201"/>
        <source>Found by screen pop</source>
        <translation>Trouvé par remontée d&apos;appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="203"/>
        <source>Number given by the screen pop: in no table</source>
        <translation>Numéro donné par la remontée d’appel : dans aucune table</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="206"/>
        <source>number read in %1, call received on %2</source>
        <translation>numéro lu dans %1, appel reçu sur %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="210"/>
        <source>number read in %1</source>
        <translation>numéro lu dans %1</translation>
    </message>
</context>
<context>
    <name>BranchSheet</name>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="26"/>
        <source>Received</source>
        <translation>Reçu le</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="27"/>
        <source>Caller</source>
        <translation>Appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="28"/>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="29"/>
        <source>Subject and notes</source>
        <translation>Objet et notes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="30"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="89"/>
        <source>Branch sheet</source>
        <translation>Fiche agence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="105"/>
        <source>Branch %1</source>
        <translation>Agence %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="106"/>
        <source>contacts taken by the backup site: %1</source>
        <translation>contacts reçus par le site de secours : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="108"/>
        <source>since %1</source>
        <translation>depuis le %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="109"/>
        <source>callbacks requested: %1</source>
        <translation>rappels demandés : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="110"/>
        <source>Client: %1</source>
        <translation>Client : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="117"/>
        <source>urgent</source>
        <translation>urgent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="118"/>
        <source>call back %1</source>
        <translation>rappeler le %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/branch_sheets.py" line="133"/>
        <source>Printed by Repli on %1</source>
        <translation>Imprimé par Repli le %1</translation>
    </message>
</context>
<context>
    <name>ClientLine</name>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="68"/>
        <source>Reading the site store…</source>
        <translation>Lecture de la base du site…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="87"/>
        <source>%1: the site store does not answer</source>
        <translation>%1 : la base du site ne répond pas</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="95"/>
        <source>%1: the site store answers again</source>
        <translation>%1 : la base du site répond de nouveau</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="99"/>
        <source>each seat&apos;s own mode</source>
        <translation>le mode de chaque poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="100"/>
        <source>MODE: %1</source>
        <translation>MODE : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="104"/>
        <source>seats active · %1 silent · %2 needing attention</source>
        <translation>postes actifs · %1 muet(s) · %2 à surveiller</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="109"/>
        <source>%1: %2 seats active out of %3</source>
        <translation>%1 : %2 postes actifs sur %3</translation>
    </message>
</context>
<context>
    <name>ClientQuestion</name>
    <message>
        <location filename="../../desktop/ui/client_question.py" line="24"/>
        <source>Whose call is it?</source>
        <translation>À quel client est cet appel ?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_question.py" line="28"/>
        <source>The dialled number %1 is in the tables of several clients: whose call is it?</source>
        <translation>Le numéro composé %1 est dans les tables de plusieurs clients : à qui est cet appel ?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_question.py" line="37"/>
        <source>Its number or Up/Down then Enter; Escape: the client shown.</source>
        <translation>Son numéro, ou Haut/Bas puis Entrée ; Échap : le client affiché.</translation>
    </message>
</context>
<context>
    <name>ClientRetired</name>
    <message>
        <location filename="../../desktop/ui/client_retired.py" line="25"/>
        <source>The contract of %1 has ended: the site&apos;s administrator retired it. Its data is now erased from this seat, and this window closes.</source>
        <translation>Le contrat de %1 a pris fin : l&apos;administrateur du site l&apos;a retiré. Ses données sont maintenant effacées de ce poste, et cette fenêtre se ferme.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_retired.py" line="36"/>
        <location filename="../../desktop/ui/client_retired.py" line="41"/>
        <source>Client retired</source>
        <translation>Client retiré</translation>
    </message>
</context>
<context>
    <name>ClientShift</name>
    <message>
        <location filename="../../desktop/ui/client_shift.py" line="102"/>
        <source>Opening %1…</source>
        <translation>Ouverture de %1…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_shift.py" line="111"/>
        <source>This client&apos;s window cannot open: %1</source>
        <translation>La fenêtre de ce client ne peut pas s&apos;ouvrir : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_shift.py" line="117"/>
        <source>This client&apos;s window is already open: it was brought forward.</source>
        <translation>La fenêtre de ce client est déjà ouverte : elle a été mise au premier plan.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_shift.py" line="253"/>
        <source>%1 has a contact being typed: %2 to finish it first.</source>
        <translation>%1 a une fiche en cours de saisie : %2 pour la terminer d&apos;abord.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_shift.py" line="289"/>
        <source>A call for %1 is waiting: %2 to go to it.</source>
        <translation>Un appel pour %1 attend : %2 pour y aller.</translation>
    </message>
</context>
<context>
    <name>ClientSignIn</name>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="59"/>
        <source>%1 (this seat&apos;s own data)</source>
        <translation>%1 (données propres à ce poste)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="98"/>
        <source>Repli — choose the client</source>
        <translation>Repli — choix du client</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="99"/>
        <source>Repli — backup seat</source>
        <translation>Repli — poste de secours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="100"/>
        <source>&amp;Agent (name or id)</source>
        <translation>&amp;Agent (nom ou identifiant)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="101"/>
        <source>Agent name or id</source>
        <translation>Nom ou identifiant de l&apos;agent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="102"/>
        <source>&amp;Client</source>
        <translation>&amp;Client</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="103"/>
        <source>Client company whose calls you take</source>
        <translation>Entreprise cliente dont vous prenez les appels</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="104"/>
        <source>Start the shift (Enter)</source>
        <translation>Commencer la vacation (Entrée)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="107"/>
        <source>Type your name, choose the client with Up/Down (or its number), then Enter. Two clients&apos; calls in one shift: Space in the list ticks the other one.</source>
        <translation>Tapez votre nom, choisissez le client avec Haut/Bas (ou son numéro), puis Entrée. Deux clients dans la même vacation : Espace dans la liste coche l&apos;autre.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/client_sign_in.py" line="158"/>
        <source>An agent name or id is required.</source>
        <translation>Un nom ou identifiant d&apos;agent est obligatoire.</translation>
    </message>
</context>
<context>
    <name>ContactDetails</name>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="422"/>
        <source>Su&amp;bject</source>
        <translation>O&amp;bjet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="422"/>
        <source>&amp;Notes</source>
        <translation>&amp;Notes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="422"/>
        <source>Ou&amp;tcome</source>
        <translation>Iss&amp;ue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="425"/>
        <source>Ur&amp;gent</source>
        <translation>Ur&amp;gent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="426"/>
        <source>Save the correction (Ctrl+S)</source>
        <translation>Enregistrer la correction (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="427"/>
        <source>Callback done (Ctrl+D)</source>
        <translation>Rappel fait (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="428"/>
        <source>Revisions of the contact</source>
        <translation>Révisions de la fiche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="481"/>
        <source>Revision %1 — %2 by %3</source>
        <translation>Révision %1 — %2 par %3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="524"/>
        <source>Nothing changed.</source>
        <translation>Rien n’a changé.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="452"/>
        <source>Not saved: %1</source>
        <translation>Non enregistré : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="536"/>
        <source>Saved as revision %1.</source>
        <translation>Enregistré comme révision %1.</translation>
    </message>
</context>
<context>
    <name>ContactForm</name>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="121"/>
        <source>Call &amp;type (%1)</source>
        <translation>&amp;Type d&apos;appel (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="122"/>
        <source>Caller&apos;s &amp;number</source>
        <translation>&amp;Numéro de l&apos;appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="124"/>
        <source>Caller&apos;s na&amp;me</source>
        <translation>No&amp;m de l&apos;appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="125"/>
        <source>&amp;Subject</source>
        <translation>&amp;Objet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="126"/>
        <source>N&amp;otes</source>
        <translation>Not&amp;es</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="127"/>
        <source>O&amp;utcome</source>
        <translation>&amp;Issue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="128"/>
        <source>Call&amp;back at</source>
        <translation>&amp;Rappel le</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="133"/>
        <source>U&amp;rgent (Ctrl+U)</source>
        <translation>&amp;Urgent (Ctrl+U)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="134"/>
        <source>Save (Ctrl+S)</source>
        <translation>Enregistrer (Ctrl+S)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="136"/>
        <source>Call type</source>
        <translation>Type d&apos;appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="137"/>
        <source>Caller&apos;s number</source>
        <translation>Numéro de l&apos;appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="138"/>
        <source>Caller&apos;s name</source>
        <translation>Nom de l&apos;appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="139"/>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="140"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="141"/>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="142"/>
        <source>Callback time</source>
        <translation>Heure de rappel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="143"/>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="144"/>
        <source>Save the contact</source>
        <translation>Enregistrer la fiche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="160"/>
        <source>— not chosen —</source>
        <translation>— non choisi —</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="207"/>
        <source>not a valid number — recorded as typed</source>
        <translation>numéro non valide — enregistré tel que saisi</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_form.py" line="214"/>
        <source>Known partner: %1</source>
        <translation>Partenaire connu : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/contact_form.py" line="223"/>
        <source>%n earlier contact(s), last %1</source>
        <translation>
            <numerusform>%n contact précédent, le %1</numerusform>
            <numerusform>%n contacts précédents, dernier le %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContactOpener</name>
    <message>
        <location filename="../../desktop/ui/contact_opener.py" line="62"/>
        <source>Contact restored after an interruption (draft of %1).</source>
        <translation>Fiche restaurée après une interruption (brouillon de %1).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_opener.py" line="73"/>
        <source>Save or abandon (Ctrl+N) the current contact first.</source>
        <translation>Enregistrez ou abandonnez (Ctrl+N) d&apos;abord la fiche en cours.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_opener.py" line="91"/>
        <source>Correcting the contact of %1 (revision %2): saving makes revision %3.</source>
        <translation>Correction de la fiche de %1 (révision %2) : l&apos;enregistrement crée la révision %3.</translation>
    </message>
</context>
<context>
    <name>ContactSaver</name>
    <message>
        <location filename="../../desktop/ui/contact_saver.py" line="31"/>
        <source>The database is still opening; try again in a moment.</source>
        <translation>La base de données s&apos;ouvre encore ; réessayez dans un instant.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_saver.py" line="51"/>
        <source>A callback needs a callback time.</source>
        <translation>Un rappel demande une heure de rappel.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_saver.py" line="54"/>
        <source>Missing: %1</source>
        <translation>Manquant : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/contact_saver.py" line="67"/>
        <source>NOT SAVED: %1. Everything typed is still here; try again (Ctrl+S).</source>
        <translation>NON ENREGISTRÉ : %1. Tout ce qui a été saisi est toujours là ; réessayez (Ctrl+S).</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="85"/>
        <source>The figures could not be read: %1</source>
        <translation>Les chiffres n’ont pas pu être lus : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="93"/>
        <source>%1 contacts · callbacks pending: %2 (overdue: %3) · CRM: %4 waiting, %5 rejected</source>
        <translation>%1 contacts · rappels en attente : %2 (en retard : %3) · CRM : %4 en attente, %5 refusés</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="113"/>
        <source>Contacts per hour</source>
        <translation>Contacts par heure</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="114"/>
        <source>Per call type</source>
        <translation>Par type d’appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="115"/>
        <source>Busiest branches</source>
        <translation>Agences les plus appelées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="116"/>
        <source>Outcomes</source>
        <translation>Issues</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="117"/>
        <source>Handling time</source>
        <translation>Durée de traitement</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="118"/>
        <source>Per seat and agent</source>
        <translation>Par poste et agent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/dashboard.py" line="188"/>
        <source>no contact</source>
        <translation>aucune fiche</translation>
    </message>
</context>
<context>
    <name>DrillReport</name>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="16"/>
        <source>PASSED: every seat was ready, on the published tables, took its calls, and everything was delivered and reconciled</source>
        <translation>RÉUSSI : chaque poste était prêt, sur les tables publiées, a pris ses appels, et tout a été livré et rapproché</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="20"/>
        <source>TO REVIEW: see each seat&apos;s problems</source>
        <translation>À REVOIR : voir les problèmes de chaque poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="25"/>
        <source>no word from the seat at the drill&apos;s start</source>
        <translation>aucune nouvelle du poste au début de l&apos;exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="28"/>
        <source>not ready at the drill&apos;s start</source>
        <translation>pas prêt au début de l&apos;exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="31"/>
        <source>on other tables than the published ones</source>
        <translation>sur d&apos;autres tables que celles publiées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="34"/>
        <source>no contact taken</source>
        <translation>aucune fiche prise</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="35"/>
        <source>not everything delivered</source>
        <translation>tout n&apos;a pas été livré</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="36"/>
        <source>the site store and the seat disagree</source>
        <translation>la base du site et le poste ne concordent pas</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="39"/>
        <source>no seat took part</source>
        <translation>aucun poste n&apos;a participé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="47"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="48"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="54"/>
        <source>ready</source>
        <translation>prêt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="73"/>
        <source>Seat</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="73"/>
        <source>Ready at the start</source>
        <translation>Prêt au début</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="74"/>
        <source>Readiness</source>
        <translation>État de préparation</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="74"/>
        <location filename="../../desktop/ui/drill_render.py" line="117"/>
        <source>Repli version</source>
        <translation>Version de Repli</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="75"/>
        <source>Tables</source>
        <translation>Tables</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="75"/>
        <source>Start to first contact</source>
        <translation>Du démarrage à la première fiche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="76"/>
        <source>Contacts</source>
        <translation>Fiches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="76"/>
        <source>Delivered</source>
        <translation>Livrées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="77"/>
        <source>Reconciled</source>
        <translation>Rapprochées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="77"/>
        <source>Screen pops</source>
        <translation>Remontées d&apos;appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="78"/>
        <location filename="../../desktop/ui/drill_render.py" line="115"/>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="86"/>
        <source>(published: n° %1)</source>
        <translation>(publiées : n° %1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="97"/>
        <location filename="../../desktop/ui/drill_render.py" line="104"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="108"/>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="109"/>
        <source>Site</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="110"/>
        <source>Drill started</source>
        <translation>Début de l&apos;exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="111"/>
        <source>Until</source>
        <translation>Jusqu&apos;au</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="112"/>
        <source>Tables published</source>
        <translation>Tables publiées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="114"/>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="116"/>
        <source>Generated</source>
        <translation>Produit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="122"/>
        <source>Drill report of the backup site</source>
        <translation>Rapport d&apos;exercice du site de secours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="123"/>
        <source>Seat by seat</source>
        <translation>Poste par poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="124"/>
        <source>The JSON file is the report&apos;s source, signed with the site&apos;s key: check it with minisign -V -p repli-site.pub -m FILE.json. This PDF is a rendering of it.</source>
        <translation>Le fichier JSON est la source du rapport, signée avec la clé du site : vérifiez-la avec minisign -V -p repli-site.pub -m FICHIER.json. Ce PDF en est une mise en page.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="147"/>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="148"/>
        <source>Item</source>
        <translation>Élément</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="149"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/drill_render.py" line="153"/>
        <source>Seats</source>
        <translation>Postes</translation>
    </message>
</context>
<context>
    <name>ExerciseTab</name>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="94"/>
        <source>The whole site&apos;s &amp;mode:</source>
        <translation>&amp;Mode de tout le site :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="95"/>
        <source>&amp;Apply the mode to every seat</source>
        <translation>&amp;Appliquer le mode à tous les postes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="97"/>
        <source>This seat&apos;s &amp;mode:</source>
        <translation>&amp;Mode de ce poste :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="98"/>
        <source>&amp;Apply the mode</source>
        <translation>&amp;Appliquer le mode</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="99"/>
        <source>Report as P&amp;DF…</source>
        <translation>Rapport en P&amp;DF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="100"/>
        <source>Exercise report</source>
        <translation>Rapport de l&apos;exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="101"/>
        <source>Report as &amp;XLSX…</source>
        <translation>Rapport en &amp;XLSX…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="104"/>
        <source>In exercise mode the agent window says EXERCISE everywhere, and contacts are marked exercise: they go only to exercise sync targets and stay out of exports unless asked for. Scripted calls: repli drill --script FILE. The report covers the exercise contacts of every seat this store holds.</source>
        <translation>En mode exercice, la fenêtre agent affiche EXERCICE partout et les fiches sont marquées exercice : elles ne partent que vers les cibles de synchronisation d’exercice et restent hors des exports sauf demande. Appels scénarisés : repli drill --script FICHIER. Le rapport couvre les fiches d’exercice de tous les postes présents dans cette base.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="133"/>
        <source>Save the report</source>
        <translation>Enregistrer le rapport</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="168"/>
        <source>Seat</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="169"/>
        <source>First contact after start</source>
        <translation>Première fiche après démarrage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="170"/>
        <source>Contacts</source>
        <translation>Fiches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="171"/>
        <source>Median handling</source>
        <translation>Traitement médian</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="172"/>
        <source>Several candidates</source>
        <translation>Plusieurs candidats</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="173"/>
        <source>Screen pops</source>
        <translation>Remontées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="174"/>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="175"/>
        <source>Tables</source>
        <translation>Tables</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="180"/>
        <source>Tables age (days)</source>
        <translation>Âge des tables (jours)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="217"/>
        <source>(%1 days old)</source>
        <translation>(%1 j)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/exercise.py" line="225"/>
        <source>Failover exercise report</source>
        <translation>Rapport d’exercice de bascule</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="188"/>
        <source>Export the contacts shown</source>
        <translation>Exporter les fiches affichées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="201"/>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="202"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
</context>
<context>
    <name>FailbackReport</name>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="18"/>
        <source>CLEAN: every revision taken is in the site store and at the CRM</source>
        <translation>CONFORME : chaque révision prise est dans la base du site et au CRM</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="21"/>
        <source>DIFFERENCES: see the list, and what to do for each</source>
        <translation>ÉCARTS : voir la liste, et que faire pour chacun</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="24"/>
        <source>INCOMPLETE: a seat was silent or a target could not say what it holds</source>
        <translation>INCOMPLET : un poste est resté muet ou une cible n&apos;a pas pu dire ce qu&apos;elle détient</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="33"/>
        <source>send again</source>
        <translation>renvoyer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="34"/>
        <source>check at the CRM</source>
        <translation>à vérifier au CRM</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="35"/>
        <source>check on the seat</source>
        <translation>à vérifier au poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="41"/>
        <source>missing</source>
        <translation>manquante</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="42"/>
        <source>rejected</source>
        <translation>refusée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="48"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="49"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="56"/>
        <source>never wrote to the site&apos;s roster</source>
        <translation>n&apos;a jamais écrit au tableau des postes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="58"/>
        <source>reachable</source>
        <translation>joignable</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="59"/>
        <source>silent since %1</source>
        <translation>muet depuis %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="74"/>
        <source>from %1 to %2</source>
        <translation>du %1 au %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="87"/>
        <location filename="../../desktop/ui/failback_render.py" line="114"/>
        <location filename="../../desktop/ui/failback_render.py" line="183"/>
        <source>Seat</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="88"/>
        <location filename="../../desktop/ui/failback_render.py" line="114"/>
        <source>Day (UTC)</source>
        <translation>Jour (UTC)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="89"/>
        <source>Taken</source>
        <translation>Prises</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="90"/>
        <source>Site store</source>
        <translation>Base du site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="94"/>
        <source>%1 acknowledged</source>
        <translation>%1 acquittées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="95"/>
        <source>%1 holds</source>
        <translation>%1 détient</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="97"/>
        <source>Digests agree</source>
        <translation>Empreintes concordantes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="106"/>
        <source>the seat took other revisions than the site store holds</source>
        <translation>le poste a pris d&apos;autres révisions que celles de la base du site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="114"/>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="114"/>
        <source>Contact</source>
        <translation>Fiche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="114"/>
        <source>Revision</source>
        <translation>Révision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="115"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="115"/>
        <source>Acknowledged before</source>
        <translation>Acquittée auparavant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="115"/>
        <source>What to do</source>
        <translation>Que faire</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="115"/>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="138"/>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="141"/>
        <source>Site</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="143"/>
        <source>Period (UTC)</source>
        <translation>Période (UTC)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="147"/>
        <source>Contacts</source>
        <translation>Fiches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="148"/>
        <source>exercise</source>
        <translation>exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="150"/>
        <source>production</source>
        <translation>production</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="153"/>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="156"/>
        <source>Revisions taken</source>
        <translation>Révisions prises</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="157"/>
        <source>In the site store</source>
        <translation>Dans la base du site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="158"/>
        <location filename="../../desktop/ui/failback_render.py" line="224"/>
        <location filename="../../desktop/ui/failback_render.py" line="251"/>
        <source>Differences</source>
        <translation>Écarts</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="159"/>
        <source>To send again</source>
        <translation>À renvoyer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="161"/>
        <source>Generated</source>
        <translation>Produit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="164"/>
        <location filename="../../desktop/ui/failback_render.py" line="185"/>
        <source>Repli version</source>
        <translation>Version de Repli</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="168"/>
        <source>says what it holds</source>
        <translation>dit ce qu&apos;elle détient</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="168"/>
        <source>could not say what it holds</source>
        <translation>n&apos;a pas pu dire ce qu&apos;elle détient</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="169"/>
        <source>cannot say what it holds</source>
        <translation>ne sait pas dire ce qu&apos;elle détient</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="172"/>
        <source>Target %1</source>
        <translation>Cible %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="184"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="186"/>
        <source>Waiting to be delivered</source>
        <translation>En attente de livraison</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="210"/>
        <source>%1 more in the XLSX and the JSON</source>
        <translation>%1 de plus dans le XLSX et le JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="213"/>
        <source>The JSON file is the report&apos;s source, signed with the site&apos;s key: check it with minisign -V -p repli-site.pub -m FILE.json. This PDF is a rendering of it.</source>
        <translation>Le fichier JSON est la source du rapport, signée avec la clé du site : vérifiez-la avec minisign -V -p repli-site.pub -m FICHIER.json. Ce PDF en est une mise en page.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="219"/>
        <source>Failback report</source>
        <translation>Rapport de retour au site principal</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="220"/>
        <location filename="../../desktop/ui/failback_render.py" line="252"/>
        <source>Seats</source>
        <translation>Postes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="221"/>
        <source>Seat by seat, day by day</source>
        <translation>Poste par poste, jour par jour</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="225"/>
        <source>None.</source>
        <translation>Aucun.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="246"/>
        <source>Summary</source>
        <translation>Résumé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="247"/>
        <source>Item</source>
        <translation>Élément</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="248"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/failback_render.py" line="250"/>
        <source>Days</source>
        <translation>Jours</translation>
    </message>
</context>
<context>
    <name>HallWall</name>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="152"/>
        <source>The site&apos;s seats — %1 client(s)</source>
        <translation>Les postes du site — %1 client(s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="156"/>
        <source>%1: no site store in its configuration</source>
        <translation>%1 : pas de base du site dans sa configuration</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="162"/>
        <source>Not shown: %1</source>
        <translation>Non affichés : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="163"/>
        <source>Escape: leave full screen · F1: the keys</source>
        <translation>Échap : quitter le plein écran · F1 : les touches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hall_wall.py" line="165"/>
        <source>Repli — the hall&apos;s wall screen</source>
        <translation>Repli — l&apos;écran mural du hall</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <location filename="../../desktop/ui/history.py" line="48"/>
        <source>✔ sent</source>
        <translation>✔ envoyée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="49"/>
        <location filename="../../desktop/ui/history.py" line="51"/>
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="50"/>
        <source>✖ rejected</source>
        <translation>✖ refusée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="66"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="67"/>
        <source>Branch</source>
        <translation>Agence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="68"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="69"/>
        <source>Caller</source>
        <translation>Appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="70"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="71"/>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="72"/>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="73"/>
        <source>Rev.</source>
        <translation>Rév.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="74"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../desktop/ui/history.py" line="266"/>
        <source>Today&apos;s contacts (%1 to search, Enter to correct)</source>
        <translation>Fiches du jour (%1 pour chercher, Entrée pour corriger)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="270"/>
        <source>Search names, numbers, notes…</source>
        <translation>Chercher noms, numéros, notes…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="271"/>
        <source>Search the history</source>
        <translation>Chercher dans l&apos;historique</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="272"/>
        <source>Contact history</source>
        <translation>Historique des fiches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="273"/>
        <source>&amp;All days (Alt+A)</source>
        <translation>Tous les &amp;jours (Alt+J)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history.py" line="274"/>
        <source>Contacts of all days</source>
        <translation>Fiches de tous les jours</translation>
    </message>
</context>
<context>
    <name>LookupPanel</name>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="283"/>
        <source>&amp;Dialled number — last digits (%1)</source>
        <translation>Numéro &amp;composé — derniers chiffres (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="285"/>
        <source>e.g. 6677</source>
        <translation>ex. 6677</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="286"/>
        <source>Dialled number digits</source>
        <translation>Chiffres du numéro composé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="287"/>
        <source>Matching numbers</source>
        <translation>Numéros correspondants</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="302"/>
        <source>Digits only, please</source>
        <translation>Des chiffres uniquement</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="331"/>
        <source>Type the last digits of the number the caller dialled.</source>
        <translation>Tapez les derniers chiffres du numéro composé par l&apos;appelant.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="334"/>
        <source>The number %1 is not in the lookup tables.</source>
        <translation>Le numéro %1 n&apos;est pas dans les tables.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="339"/>
        <source>No dialled number ends with %1.</source>
        <translation>Aucun numéro ne se termine par %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="344"/>
        <source>1 match — %1: the call type, then the caller</source>
        <translation>1 correspondance — %1 : le type d’appel, puis l’appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="345"/>
        <source>1 match: Enter to take it</source>
        <translation>1 numéro : Entrée pour le prendre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="346"/>
        <source>%1 matches</source>
        <translation>%1 correspondances</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="351"/>
        <source>(first %1 shown)</source>
        <translation>(%1 premières affichées)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/lookup_panel.py" line="348"/>
        <source>%n more digit(s) make it unique</source>
        <translation>
            <numerusform>encore %n chiffre pour la rendre unique</numerusform>
            <numerusform>encore %n chiffres pour la rendre unique</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/lookup_panel.py" line="352"/>
        <source>↑↓ to choose</source>
        <translation>↑↓ pour choisir</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="136"/>
        <source>Contact saved</source>
        <translation>Fiche enregistrée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="207"/>
        <source>Lookup tables updated: %1</source>
        <translation>Tables de recherche mises à jour : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="218"/>
        <source>High contrast on</source>
        <translation>Contraste élevé activé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="218"/>
        <source>High contrast off</source>
        <translation>Contraste élevé désactivé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="221"/>
        <source>Repli — backup seat %1</source>
        <translation>Repli — poste de secours %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="228"/>
        <source>Client company: %1</source>
        <translation>Client : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="230"/>
        <source>Repli agent window</source>
        <translation>Fenêtre agent Repli</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/opening.py" line="45"/>
        <source>Supervision</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/opening.py" line="46"/>
        <source>No supervisor PIN is set on this PC: run repli supervisor set-pin as the administrator.</source>
        <translation>Aucun code superviseur n&apos;est défini sur ce PC : lancez repli supervisor set-pin en administrateur.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="319"/>
        <source>New call</source>
        <translation>Nouvel appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="318"/>
        <source>Abandon the contact being typed? It will not be saved.</source>
        <translation>Abandonner la fiche en cours de saisie ? Elle ne sera pas enregistrée.</translation>
    </message>
</context>
<context>
    <name>ModeBanner</name>
    <message>
        <location filename="../../desktop/ui/mode_banner.py" line="24"/>
        <source>Operating mode: %1</source>
        <translation>Mode de fonctionnement : %1</translation>
    </message>
</context>
<context>
    <name>NoticeBanner</name>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="68"/>
        <source>THIS SEAT IS NOT READY:</source>
        <translation>CE POSTE N&apos;EST PAS PRÊT :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="70"/>
        <source>fails</source>
        <translation>en échec</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="70"/>
        <source>warning</source>
        <translation>à surveiller</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="72"/>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2) : %3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="78"/>
        <source>(Details from repli doctor, in English: give them to IT support.)</source>
        <translation>(Détails de repli doctor, en anglais : à transmettre au support informatique.)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="84"/>
        <source>Configuration</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="85"/>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="86"/>
        <source>Lookup tables</source>
        <translation>Tables de recherche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="87"/>
        <source>Tables from the primary site</source>
        <translation>Tables du site principal</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="88"/>
        <source>Clock</source>
        <translation>Horloge</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="89"/>
        <source>Disk</source>
        <translation>Disque</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="90"/>
        <source>Translations</source>
        <translation>Traductions</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="93"/>
        <source>Sync to %1</source>
        <translation>Synchronisation vers %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="100"/>
        <source>THE DATABASE DID NOT OPEN: contacts cannot be saved (%1).</source>
        <translation>LA BASE DE DONNÉES NE S&apos;EST PAS OUVERTE : les fiches ne peuvent pas être enregistrées (%1).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="105"/>
        <source>Shift resumed after an interruption: nothing typed was lost.</source>
        <translation>Vacation reprise après une interruption : rien de ce qui était saisi n&apos;est perdu.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="108"/>
        <source>The PC&apos;s lookup tables were updated: %1.</source>
        <translation>Les tables de ce PC ont été mises à jour : %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="114"/>
        <source>Lookup tables updated from the primary: version %1.</source>
        <translation>Tables mises à jour depuis le site principal : version %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="121"/>
        <source>THE PC&apos;S NEW TABLE PACK WAS REFUSED: the previous tables stay in use (repli doctor says why).</source>
        <translation>LE NOUVEAU JEU DE TABLES DU PC A ÉTÉ REFUSÉ : les tables précédentes restent en service (repli doctor dit pourquoi).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="128"/>
        <source>DEMO TABLES: no table pack was active, so the fictional demo pack was loaded. Import the site&apos;s pack with: repli tables import PACK</source>
        <translation>TABLES DE DÉMONSTRATION : aucun jeu de tables n&apos;était actif, le jeu fictif de démonstration a été chargé. Importez celui du site avec : repli tables import PACK</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="133"/>
        <source>No lookup tables: digits cannot be looked up.</source>
        <translation>Aucune table : les chiffres ne peuvent pas être recherchés.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/notice_banner.py" line="136"/>
        <source>The lookup tables are %1 days old: ask for a fresh pack.</source>
        <translation>Les tables ont %1 jours : demandez un jeu à jour.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../desktop/ui/supervisor/pin_dialog.py" line="23"/>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/pin_dialog.py" line="24"/>
        <source>Supervisor &amp;PIN:</source>
        <translation>&amp;Code superviseur :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/pin_dialog.py" line="27"/>
        <source>Supervisor PIN</source>
        <translation>Code superviseur</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/pin_dialog.py" line="58"/>
        <source>Wrong PIN.</source>
        <translation>Code erroné.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/pin_dialog.py" line="76"/>
        <source>Too many wrong PINs: wait %1 s.</source>
        <translation>Trop de codes erronés : patientez %1 s.</translation>
    </message>
</context>
<context>
    <name>PopPresenter</name>
    <message>
        <location filename="../../desktop/ui/pop_presenter.py" line="57"/>
        <source>Incoming call</source>
        <translation>Appel entrant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pop_presenter.py" line="144"/>
        <source>Save or abandon (Ctrl+N) the current contact first.</source>
        <translation>Enregistrez ou abandonnez (Ctrl+N) d&apos;abord la fiche en cours.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/pop_presenter.py" line="166"/>
        <source>%n call(s) waiting</source>
        <translation>
            <numerusform>%n appel en attente</numerusform>
            <numerusform>%n appels en attente</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pop_presenter.py" line="170"/>
        <source>from %1</source>
        <translation>de %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pop_presenter.py" line="172"/>
        <source>%1 to take it</source>
        <translation>%1 pour le prendre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/pop_presenter.py" line="184"/>
        <source>unknown number</source>
        <translation>numéro inconnu</translation>
    </message>
</context>
<context>
    <name>ReportsTab</name>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="47"/>
        <source>%1 revision(s), %2 to send again</source>
        <translation>%1 révision(s), %2 à renvoyer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="116"/>
        <source>The failback report proves, seat by seat and day by day (UTC), what the backup site took and what reached the client&apos;s CRM; the drill report gives the site&apos;s last drill one verdict. Each is a JSON file signed with the site&apos;s key, with its PDF or XLSX beside it.</source>
        <translation>Le rapport de retour prouve, poste par poste et jour par jour (UTC), ce que le site de secours a pris et ce qui a atteint le CRM du client ; le rapport d&apos;exercice donne au dernier exercice du site un verdict. Chacun est un fichier JSON signé avec la clé du site, avec son PDF ou son XLSX à côté.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="122"/>
        <source>&amp;From (UTC day):</source>
        <translation>&amp;Du (jour UTC) :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="123"/>
        <source>&amp;To (UTC day, included):</source>
        <translation>&amp;Au (jour UTC, inclus) :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="124"/>
        <source>&amp;Queue again what a target lacks</source>
        <translation>Re&amp;nvoyer ce qui manque à une cible</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="125"/>
        <source>&amp;Failback report (PDF)…</source>
        <translation>Rapport de &amp;retour (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="126"/>
        <source>Failback report (XLS&amp;X)…</source>
        <translation>Rapport de retour (XLS&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="127"/>
        <source>Site &amp;drill report (PDF)…</source>
        <translation>Rapport d&apos;&amp;exercice du site (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="128"/>
        <source>Last report</source>
        <translation>Dernier rapport</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="132"/>
        <source>Save the report</source>
        <translation>Enregistrer le rapport</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="161"/>
        <source>Writing the report…</source>
        <translation>Rapport en cours d&apos;écriture…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="168"/>
        <source>queued again: %1 here, %2 asked of other seats</source>
        <translation>renvoi : %1 ici, %2 demandées aux autres postes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/reports.py" line="177"/>
        <source>The report was not written: %1</source>
        <translation>Le rapport n&apos;a pas été écrit : %1</translation>
    </message>
</context>
<context>
    <name>RetireClient</name>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="28"/>
        <source>this PC has %1 revision(s) not delivered</source>
        <translation>ce PC a %1 révision(s) non livrée(s)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="33"/>
        <source>exercise contacts: %1 difference(s) by the failback report</source>
        <translation>fiches d&apos;exercice : %1 écart(s) selon le rapport de retour</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="37"/>
        <source>%1 difference(s) by the failback report</source>
        <translation>%1 écart(s) selon le rapport de retour</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="42"/>
        <source>seat %2 has %1 revision(s) waiting to be delivered</source>
        <translation>le poste %2 a %1 révision(s) en attente de livraison</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="46"/>
        <source>%2 could not say what it holds</source>
        <translation>%2 n&apos;a pas pu dire ce qu&apos;elle détient</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="64"/>
        <source>This seat has no site store: a client is retired from its site.</source>
        <translation>Ce poste n&apos;a pas de base du site : un client se retire depuis son site.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="72"/>
        <source>Retire the client (end of contract)</source>
        <translation>Retirer le client (fin de contrat)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="73"/>
        <source>Its data will be deleted from the site store and from every seat, its keys destroyed. To confirm, type the client&apos;s name: %1</source>
        <translation>Ses données seront supprimées de la base du site et de chaque poste, ses clés détruites. Pour confirmer, tapez le nom du client : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="79"/>
        <source>Not retired: the name typed was not the client&apos;s.</source>
        <translation>Non retiré : le nom tapé n&apos;est pas celui du client.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="87"/>
        <source>Save the deletion certificate</source>
        <translation>Enregistrer le certificat de suppression</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="109"/>
        <source>Checking that everything was delivered…</source>
        <translation>Vérification que tout a été livré…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="120"/>
        <source>Client retired: %1 contact(s) deleted from the site store; %2 seat(s) erase it at their next sync; certificate: %3</source>
        <translation>Client retiré : %1 fiche(s) supprimée(s) de la base du site ; %2 poste(s) l&apos;effacent à leur prochaine synchronisation ; certificat : %3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="131"/>
        <source>Not retired</source>
        <translation>Non retiré</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="132"/>
        <source>The client is not retired: %1. Deliver and reconcile first (the failback report says what). Retire it anyway?</source>
        <translation>Le client n&apos;est pas retiré : %1. Livrez et rapprochez d&apos;abord (le rapport de retour dit quoi). Le retirer quand même ?</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="136"/>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="159"/>
        <source>Not retired: %1</source>
        <translation>Non retiré : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="143"/>
        <source>Why</source>
        <translation>Motif</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="144"/>
        <source>The reason, written in the certificate:</source>
        <translation>Le motif, écrit dans le certificat :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/retire_dialog.py" line="148"/>
        <source>Not retired: a forced retirement needs a reason.</source>
        <translation>Non retiré : un retrait forcé demande un motif.</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="56"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="57"/>
        <source>Seat</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="58"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="59"/>
        <source>Branch</source>
        <translation>Agence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="60"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="61"/>
        <source>Caller</source>
        <translation>Appelant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="62"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="63"/>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="64"/>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="65"/>
        <source>Callback</source>
        <translation>Rappel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="66"/>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="67"/>
        <source>Rev.</source>
        <translation>Rév.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="68"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="101"/>
        <source>done %1</source>
        <translation>fait le %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="105"/>
        <source>late %1</source>
        <translation>retard %1</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="112"/>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="113"/>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="114"/>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="115"/>
        <source>From … to …</source>
        <translation>Du … au …</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="118"/>
        <source>All contacts</source>
        <translation>Toutes les fiches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="119"/>
        <source>Callbacks pending</source>
        <translation>Rappels en attente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="120"/>
        <source>Callbacks overdue</source>
        <translation>Rappels en retard</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="121"/>
        <source>Callbacks done</source>
        <translation>Rappels faits</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="124"/>
        <source>Without exercise</source>
        <translation>Hors exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="125"/>
        <source>With exercise</source>
        <translation>Avec l’exercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="126"/>
        <source>Exercise only</source>
        <translation>Exercice seul</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="129"/>
        <source>Any CRM state</source>
        <translation>Tout état CRM</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="130"/>
        <source>Delivered</source>
        <translation>Livrées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="131"/>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="132"/>
        <source>Rejected</source>
        <translation>Refusées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="133"/>
        <source>Not queued</source>
        <translation>Non mises en file</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="265"/>
        <source>&amp;Search (names, numbers, notes)</source>
        <translation>&amp;Chercher (noms, numéros, notes)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="266"/>
        <source>&amp;Period</source>
        <translation>&amp;Période</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="267"/>
        <source>&amp;Outcome</source>
        <translation>&amp;Issue</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="268"/>
        <source>Call&amp;backs</source>
        <translation>&amp;Rappels</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="269"/>
        <source>E&amp;xercise</source>
        <translation>E&amp;xercice</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="270"/>
        <source>C&amp;RM</source>
        <translation>C&amp;RM</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="271"/>
        <source>Branch &amp;id</source>
        <translation>Code a&amp;gence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="272"/>
        <source>Call &amp;type</source>
        <translation>&amp;Type d’appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="273"/>
        <source>A&amp;gent</source>
        <translation>Age&amp;nt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="274"/>
        <source>S&amp;eat</source>
        <translation>Pos&amp;te</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="275"/>
        <source>&amp;From</source>
        <translation>&amp;Du</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="276"/>
        <source>T&amp;o</source>
        <translation>&amp;Au</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="283"/>
        <source>All outcomes</source>
        <translation>Toutes les issues</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="286"/>
        <source>&amp;Urgent only</source>
        <translation>&amp;Urgentes seulement</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="287"/>
        <source>Contacts</source>
        <translation>Fiches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="325"/>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="349"/>
        <source>The contacts could not be read: %1</source>
        <translation>Les fiches n’ont pas pu être lues : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/review.py" line="365"/>
        <source>%1 contact(s)</source>
        <translation>%1 fiche(s)</translation>
    </message>
</context>
<context>
    <name>SeatStatus</name>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="65"/>
        <source>Agent: %1 · Seat: %2</source>
        <translation>Agent : %1 · Poste : %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="74"/>
        <source>Tables: none</source>
        <translation>Tables : aucune</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="78"/>
        <source>today</source>
        <translation>du jour</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/status_bar.py" line="78"/>
        <source>%n day(s) old</source>
        <translation>
            <numerusform>%n jour</numerusform>
            <numerusform>%n jours</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="80"/>
        <source>Tables: %1 %2 (%3)</source>
        <translation>Tables : %1 %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="88"/>
        <source>source unreachable since %1</source>
        <translation>source injoignable depuis %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="94"/>
        <source>last pack refused: %1</source>
        <translation>dernier jeu refusé : %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/status_bar.py" line="99"/>
        <source>checked %n min ago</source>
        <translation>
            <numerusform>vérifiées il y a %n min</numerusform>
            <numerusform>vérifiées il y a %n min</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="101"/>
        <source>checked now</source>
        <translation>vérifiées à l’instant</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="112"/>
        <source>Saved at %1 (revision %2).</source>
        <translation>Enregistrée à %1 (révision %2).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="114"/>
        <source>Saved at %1.</source>
        <translation>Enregistrée à %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="120"/>
        <source>NOT SAVED: %1</source>
        <translation>NON ENREGISTRÉE : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="125"/>
        <source>Draft kept %1</source>
        <translation>Brouillon conservé %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="131"/>
        <source>Screen pop: port %1</source>
        <translation>Remontée : port %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="133"/>
        <source>Screen pop: disabled</source>
        <translation>Remontée d&apos;appels : désactivée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="136"/>
        <source>Screen pop: OFF (%1, port %2)</source>
        <translation>Remontée d&apos;appels : ARRÊTÉE (%1, port %2)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="141"/>
        <source>Screen pop: starting</source>
        <translation>Remontée d&apos;appels : démarrage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="143"/>
        <source>site proxy: OFF (%1)</source>
        <translation>proxy du site : INACTIF (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="145"/>
        <source>site proxy: %1</source>
        <translation>proxy du site : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="147"/>
        <source>last call %1</source>
        <translation>dernier appel %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="158"/>
        <source>Softphone: %1</source>
        <translation>Softphone : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="160"/>
        <source>Softphone %1: connected</source>
        <translation>Softphone %1 : connecté</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="163"/>
        <source>Softphone %1: not connected (%2), retrying</source>
        <translation>Softphone %1 : non connecté (%2), nouvel essai…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="174"/>
        <source>CRM sync: configuration wrong — %1</source>
        <translation>Envoi au CRM : configuration incorrecte — %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="177"/>
        <source>CRM sync: failing — %1 waiting — %2</source>
        <translation>Envoi au CRM : en échec — %1 en attente — %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="182"/>
        <source>CRM sync: %1 waiting</source>
        <translation>Envoi au CRM : %1 en attente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/status_bar.py" line="184"/>
        <source>CRM sync: all delivered</source>
        <translation>Envoi au CRM : tout est livré</translation>
    </message>
</context>
<context>
    <name>SeatsTab</name>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="35"/>
        <source>no word for %1</source>
        <translation>aucune nouvelle depuis %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="38"/>
        <source>tables %1 while %2 is published</source>
        <translation>tables %1 alors que %2 est publiée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="43"/>
        <source>no tables while %1 is published</source>
        <translation>aucune table alors que %1 est publiée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="48"/>
        <source>%1 contact(s) waiting for %2 for %3</source>
        <translation>%1 fiche(s) en attente vers %2 depuis %3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="54"/>
        <source>not ready: %1</source>
        <translation>pas prêt : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="57"/>
        <source>in %1 mode while the site is in %2</source>
        <translation>en mode %1 alors que le site est en %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="67"/>
        <source>SILENT</source>
        <translation>MUET</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="69"/>
        <source>Attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="71"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="78"/>
        <source>(nobody signed in)</source>
        <translation>(personne de connecté)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="84"/>
        <source>last word %1 ago</source>
        <translation>dernière nouvelle il y a %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="119"/>
        <source>Seats of the site</source>
        <translation>Postes du site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="122"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="123"/>
        <source>Seat</source>
        <translation>Poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="124"/>
        <source>PC · version</source>
        <translation>PC · version</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="125"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="126"/>
        <source>Tables</source>
        <translation>Tables</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="127"/>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="128"/>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="129"/>
        <source>Last contact</source>
        <translation>Dernière fiche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="130"/>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="149"/>
        <source>The seats could not be read: %1</source>
        <translation>Les postes n&apos;ont pas pu être lus : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="161"/>
        <source>The seats write to the site database&apos;s roster: show the site database (Ctrl+Shift+B).</source>
        <translation>Les postes écrivent dans le registre de la base du site : affichez la base du site (Ctrl+Maj+B).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="165"/>
        <source>No seat has written to the site&apos;s roster yet.</source>
        <translation>Aucun poste n&apos;a encore écrit dans le registre du site.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/seats.py" line="170"/>
        <source>%1 seat(s): %2 silent, %3 needing attention, %4 OK</source>
        <translation>%1 poste(s) : %2 muet(s), %3 à surveiller, %4 OK</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="35"/>
        <source>Repli — backup seat</source>
        <translation>Repli — poste de secours</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="36"/>
        <source>&amp;Agent (name or id)</source>
        <translation>&amp;Agent (nom ou identifiant)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="37"/>
        <source>Agent name or id</source>
        <translation>Nom ou identifiant de l&apos;agent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="38"/>
        <source>Start the shift (Enter)</source>
        <translation>Commencer la vacation (Entrée)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="39"/>
        <source>Type your name or agent id, then press Enter.</source>
        <translation>Tapez votre nom ou identifiant d&apos;agent, puis Entrée.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/sign_in.py" line="46"/>
        <source>An agent name or id is required.</source>
        <translation>Un nom ou identifiant d&apos;agent est obligatoire.</translation>
    </message>
</context>
<context>
    <name>SupervisionFiles</name>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="73"/>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="84"/>
        <source>%1 contacts exported to %2</source>
        <translation>%1 fiches exportées dans %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="91"/>
        <source>Folder for the branch sheets</source>
        <translation>Dossier des fiches agences</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="102"/>
        <source>Writing the branch sheets…</source>
        <translation>Écriture des fiches agence…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="106"/>
        <source>%1 branch sheets written to %2</source>
        <translation>%1 fiches agences écrites dans %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="116"/>
        <source>Exports or seat databases to merge</source>
        <translation>Exports ou bases de postes à fusionner</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="118"/>
        <source>Repli files (*.jsonl *.sqlite3);;All files (*)</source>
        <translation>Fichiers Repli (*.jsonl *.sqlite3);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="126"/>
        <source>Merging…</source>
        <translation>Fusion en cours…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="135"/>
        <source>Merged: %1 new, %2 already present, %3 conflicting</source>
        <translation>Fusion : %1 nouvelles, %2 déjà présentes, %3 en conflit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="143"/>
        <source>Switch to the site database first (Ctrl+Shift+B).</source>
        <translation>Passez d’abord sur la base du site (Ctrl+Maj+B).</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="146"/>
        <source>Signed table pack to publish for the whole site</source>
        <translation>Jeu de tables signé à publier pour tout le site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="159"/>
        <source>Table pack %1 published for the whole site.</source>
        <translation>Jeu de tables %1 publié pour tout le site.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="168"/>
        <source>Save the dashboard</source>
        <translation>Enregistrer le tableau de bord</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/file_actions.py" line="180"/>
        <source>Dashboard saved: %1</source>
        <translation>Tableau de bord enregistré : %1</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="110"/>
        <source>Report written: %1</source>
        <translation>Rapport enregistré : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="101"/>
        <location filename="../../desktop/ui/supervisor/window.py" line="113"/>
        <source>The report was not written: %1</source>
        <translation>Le rapport n&apos;a pas été enregistré : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="120"/>
        <source>This seat has no site database.</source>
        <translation>Ce poste n’a pas de base de site.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="128"/>
        <source>Opening the site database…</source>
        <translation>Ouverture de la base du site…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="166"/>
        <source>this seat</source>
        <translation>ce poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="166"/>
        <source>site database</source>
        <translation>base du site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="169"/>
        <source>Repli — supervision (%1) — %2</source>
        <translation>Repli — supervision (%1) — %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="174"/>
        <source>&amp;Contacts (Ctrl+1)</source>
        <translation>&amp;Fiches (Ctrl+1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="175"/>
        <source>Call&amp;backs (Ctrl+2)</source>
        <translation>&amp;Rappels (Ctrl+2)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="176"/>
        <source>&amp;Dashboard (Ctrl+3)</source>
        <translation>&amp;Tableau de bord (Ctrl+3)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="177"/>
        <source>E&amp;xercise (Ctrl+4)</source>
        <translation>E&amp;xercice (Ctrl+4)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="178"/>
        <source>S&amp;eats (Ctrl+5)</source>
        <translation>P&amp;ostes (Ctrl+5)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="179"/>
        <source>Re&amp;ports (Ctrl+6)</source>
        <translation>Ra&amp;pports (Ctrl+6)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="183"/>
        <source>&amp;Supervision</source>
        <translation>&amp;Supervision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="185"/>
        <source>&amp;Export the contacts shown…</source>
        <translation>&amp;Exporter les fiches affichées…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="186"/>
        <source>&amp;Branch sheets (PDF)…</source>
        <translation>Fiches a&amp;gences (PDF)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="187"/>
        <source>&amp;Merge other seats&apos; files…</source>
        <translation>&amp;Fusionner les fichiers d’autres postes…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="188"/>
        <source>Save the dashboard as &amp;PNG…</source>
        <translation>Enregistrer le tableau de bord en &amp;PNG…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="189"/>
        <source>&amp;Save the correction</source>
        <translation>Enregi&amp;strer la correction</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="190"/>
        <source>Callback &amp;done</source>
        <translation>Rappel &amp;fait</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="191"/>
        <source>E&amp;rase this caller&apos;s contacts (on request)…</source>
        <translation>Effacer les fiches de cet appelant (sur demande)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="192"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="193"/>
        <source>This seat / the site &amp;database</source>
        <translation>Ce poste / la &amp;base du site</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="194"/>
        <source>Publish a signed &amp;table pack for the whole site…</source>
        <translation>Publier un &amp;jeu de tables signé pour tout le site…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="195"/>
        <source>Retire this client (end of contract)…</source>
        <translation>Retirer ce client (fin de contrat)…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="196"/>
        <source>&amp;Close the supervision</source>
        <translation>Fermer la super&amp;vision</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="251"/>
        <source>Erase on request</source>
        <translation>Effacement sur demande</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="245"/>
        <source>Erase the personal data of every contact of %1 (%2 contacts)? The erasure is sent to the CRM like any change; it cannot be undone.</source>
        <translation>Effacer les données personnelles de toutes les fiches de %1 (%2 fiches) ? L’effacement est transmis au CRM comme toute modification ; il est définitif.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="256"/>
        <source>%1 contacts erased</source>
        <translation>%1 fiches effacées</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="285"/>
        <source>Mode applied.</source>
        <translation>Mode appliqué.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/supervisor/window.py" line="288"/>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <location filename="../../desktop/ui/texts.py" line="12"/>
        <source>Information given</source>
        <translation>Information donnée</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="13"/>
        <source>Message for the branch</source>
        <translation>Message pour l&apos;agence</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="14"/>
        <source>Callback requested</source>
        <translation>Rappel demandé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="15"/>
        <source>Transferred</source>
        <translation>Transféré</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="16"/>
        <source>Other</source>
        <translation>Autre</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="19"/>
        <source>DISASTER BACKUP</source>
        <translation>SECOURS SINISTRE</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="20"/>
        <source>OVERFLOW</source>
        <translation>DÉBORDEMENT</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="21"/>
        <source>EXERCISE — not a real call</source>
        <translation>EXERCICE — pas un vrai appel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="34"/>
        <source>free number</source>
        <translation>numéro gratuit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="35"/>
        <source>normal-rate number</source>
        <translation>numéro au prix d’un appel normal</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="36"/>
        <source>surcharged number</source>
        <translation>numéro surtaxé</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="38"/>
        <source>⚠ telemarketing range: probably a canvassing call</source>
        <translation>⚠ plage de démarchage : sans doute un appel commercial</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/texts.py" line="40"/>
        <source>call platform number</source>
        <translation>numéro de plateforme d’appels</translation>
    </message>
</context>
<context>
    <name>Wallboard</name>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="144"/>
        <source>Repli — wall screen</source>
        <translation>Repli — écran mural</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="198"/>
        <source>The site store does not answer</source>
        <translation>La base du site ne répond pas</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="207"/>
        <source>The site store answers again</source>
        <translation>La base du site répond de nouveau</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="60"/>
        <source>⚠ The site store does not answer since %1: no figures yet (%2)</source>
        <translation>⚠ La base du site ne répond pas depuis %1 : pas encore de chiffres (%2)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="65"/>
        <source>⚠ The site store does not answer since %1 — figures of %3, %4 old (%2)</source>
        <translation>⚠ La base du site ne répond pas depuis %1 — chiffres de %3, vieux de %4 (%2)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="212"/>
        <source>Reading the site store…</source>
        <translation>Lecture de la base du site…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="219"/>
        <source>each seat&apos;s own mode</source>
        <translation>le mode de chaque poste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="221"/>
        <source>MODE: %1</source>
        <translation>MODE : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="223"/>
        <source>Calls this hour</source>
        <translation>Appels cette heure</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="224"/>
        <source>Calls today</source>
        <translation>Appels aujourd&apos;hui</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="226"/>
        <source>oldest: %1</source>
        <translation>la plus ancienne : %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="230"/>
        <source>Not yet at the CRM</source>
        <translation>Pas encore au CRM</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="231"/>
        <source>Callbacks overdue</source>
        <translation>Rappels en retard</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="233"/>
        <location filename="../../desktop/ui/wallboard.py" line="240"/>
        <source>Seats active</source>
        <translation>Postes actifs</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="234"/>
        <source>By call type (this hour · today):</source>
        <translation>Par type d&apos;appel (cette heure · aujourd&apos;hui) :</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="235"/>
        <source>(no call type)</source>
        <translation>(sans type d&apos;appel)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="242"/>
        <source>%1 silent · %2 needing attention</source>
        <translation>%1 muet(s) · %2 à surveiller</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="250"/>
        <source>Every seat is fine.</source>
        <translation>Tous les postes vont bien.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="257"/>
        <source>Escape: leave full screen · F1: the keys</source>
        <translation>Échap : quitter le plein écran · F1 : les touches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="259"/>
        <source>Tab or 1–2: switch the view · Escape: leave full screen · F1: the keys</source>
        <translation>Tab ou 1–2 : changer de vue · Échap : quitter le plein écran · F1 : les touches</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wallboard.py" line="261"/>
        <source>Updated at %1</source>
        <translation>Mis à jour à %1</translation>
    </message>
</context>
</TS>
